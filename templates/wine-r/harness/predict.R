# Forkboard harness, predict step (runs in the sandbox, working directory = the submission).
#
# Loads FORKBOARD_MODEL_DIR/model.rds, reads FORKBOARD_INPUT (CSV: id, features), calls the
# submission's predict_classifier(model, X), a matrix of probabilities with one column per
# label (named), and writes FORKBOARD_PREDICTIONS: id, then one column per label of
# FORKBOARD_LABELS (a JSON list of strings), in that order; a label the model does not give
# (absent from a fold's training rows) gets probability 0, and columns that name no label
# are an error.
id_column <- Sys.getenv("FORKBOARD_ID_COLUMN")
labels <- regmatches(Sys.getenv("FORKBOARD_LABELS"), gregexpr('"([^"\\\\]|\\\\.)*"', Sys.getenv("FORKBOARD_LABELS")))[[1]]
labels <- gsub('^"|"$', "", labels)
suppressPackageStartupMessages(source("classifier.R", local = TRUE))
model <- readRDS(file.path(Sys.getenv("FORKBOARD_MODEL_DIR"), "model.rds"))
table <- read.csv(Sys.getenv("FORKBOARD_INPUT"), check.names = FALSE, stringsAsFactors = FALSE)
X <- table[, setdiff(names(table), id_column), drop = FALSE]
probabilities <- as.matrix(predict_classifier(model, X))
if (nrow(probabilities) != nrow(X)) stop(sprintf("predict_classifier gave %d rows for %d", nrow(probabilities), nrow(X)))
named <- intersect(colnames(probabilities), labels)
if (length(named) == 0) {
  stop(sprintf("predict_classifier's columns (%s) name none of the labels (%s): name each column after its label",
               paste(if (is.null(colnames(probabilities))) "unnamed" else colnames(probabilities), collapse = ", "),
               paste(labels, collapse = ", ")))
}
unknown <- setdiff(colnames(probabilities), labels)
if (length(unknown) > 0) stop(sprintf("predict_classifier's columns %s are not labels (%s)", paste(unknown, collapse = ", "), paste(labels, collapse = ", ")))
output <- data.frame(table[[id_column]], check.names = FALSE, stringsAsFactors = FALSE)
names(output) <- id_column
for (label in labels) {
  output[[label]] <- if (label %in% colnames(probabilities)) sprintf("%.17g", probabilities[, label]) else "0"
}
write.csv(output, Sys.getenv("FORKBOARD_PREDICTIONS"), row.names = FALSE, quote = FALSE)
