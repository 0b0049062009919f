# Forkboard harness, train step (runs in the sandbox, working directory = the submission).
#
# Reads FORKBOARD_TRAIN (CSV: id, features, target), sources the submission's classifier.R,
# calls fit_classifier(X, y) (X a data frame of the features, y a factor of the labels) and
# saves the model it returns to FORKBOARD_MODEL_DIR/model.rds.
id_column <- Sys.getenv("FORKBOARD_ID_COLUMN")
target_column <- Sys.getenv("FORKBOARD_TARGET_COLUMN")
table <- read.csv(Sys.getenv("FORKBOARD_TRAIN"), check.names = FALSE, stringsAsFactors = FALSE)
X <- table[, setdiff(names(table), c(id_column, target_column)), drop = FALSE]
y <- factor(table[[target_column]])
suppressPackageStartupMessages(source("classifier.R", local = TRUE))
model <- fit_classifier(X, y)
saveRDS(model, file.path(Sys.getenv("FORKBOARD_MODEL_DIR"), "model.rds"))
