/// Participants' classifier.py files used by several tests.
enum Classifiers {
    /// A seeded random forest: a different model from the starting kit's, reproducible.
    static func randomForest(estimators: Int, seed: Int) -> String {
        """
        from sklearn.ensemble import RandomForestClassifier


        class Classifier:
            def __init__(self):
                self.model = RandomForestClassifier(n_estimators=\(estimators), random_state=\(seed))

            def fit(self, X, y):
                self.model.fit(X, y)
                self.classes_ = self.model.classes_
                return self

            def predict_proba(self, X):
                return self.model.predict_proba(X)

        """
    }
}
