# Starting kit: a random forest (the randomForest package, Breiman and Cutler's algorithm).
#
# Forkboard trains fit_classifier(X, y) on each cross-validation fold and calls
# predict_classifier(model, X); X is a data frame of the 13 measurements, y a factor of the
# cultivars. Return class probabilities, one named column per cultivar.
library(randomForest)

fit_classifier <- function(X, y) {
  set.seed(20261130)
  randomForest(x = X, y = y, ntree = 200)
}

predict_classifier <- function(model, X) {
  predict(model, X, type = "prob")
}
