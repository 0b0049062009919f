# Forkboard harness, predict step (runs in the sandbox, working directory = the submission).
#
# Loads FORKBOARD_MODEL_DIR/model.rds, reads FORKBOARD_INPUT (CSV: id, features), calls the
# submission's predict_classifier(model, X), a matrix of probabilities with one column per
# label (named), and writes FORKBOARD_PREDICTIONS: id, then one column per label of
# FORKBOARD_LABELS (a JSON list of strings), in that order; a label the model does not give
# gets probability 0.
id_column <- Sys.getenv("FORKBOARD_ID_COLUMN")
labels <- regmatches(Sys.getenv("FORKBOARD_LABELS"), gregexpr('"([^"\\\\]|\\\\.)*"', Sys.getenv("FORKBOARD_LABELS")))[[1]]
labels <- gsub('^"|"$', "", labels)
source("classifier.R", local = TRUE)
model <- readRDS(file.path(Sys.getenv("FORKBOARD_MODEL_DIR"), "model.rds"))
table <- read.csv(Sys.getenv("FORKBOARD_INPUT"), check.names = FALSE, stringsAsFactors = FALSE)
X <- table[, setdiff(names(table), id_column), drop = FALSE]
probabilities <- as.matrix(predict_classifier(model, X))
if (nrow(probabilities) != nrow(X)) stop(sprintf("predict_classifier gave %d rows for %d", nrow(probabilities), nrow(X)))
output <- data.frame(table[[id_column]], check.names = FALSE, stringsAsFactors = FALSE)
names(output) <- id_column
for (label in labels) {
  output[[label]] <- if (label %in% colnames(probabilities)) sprintf("%.17g", probabilities[, label]) else "0"
}
write.csv(output, Sys.getenv("FORKBOARD_PREDICTIONS"), row.names = FALSE, quote = FALSE)
