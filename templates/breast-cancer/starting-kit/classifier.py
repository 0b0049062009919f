"""Starting kit: a logistic regression on standardised features.

Forkboard trains `Classifier().fit(X, y)` on each cross-validation fold and calls
`predict_proba(X)`; X is a pandas DataFrame of the 30 features, y the diagnosis labels.
"""
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Classifier:
    def __init__(self):
        self.model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    def fit(self, X, y):
        self.model.fit(X, y)
        self.classes_ = self.model.classes_
        return self

    def predict_proba(self, X):
        return self.model.predict_proba(X)
