import Credit

/// Realistic submissions to a scikit-learn breast-cancer challenge whose starting kit is a
/// logistic regression in `classifier.py`.
enum ReuseFixtures {
    static let startingKit = SourceFile(
        path: "classifier.py",
        text: """
            \"\"\"Starting kit: a logistic regression on standardised features.

            Forkboard trains `Classifier().fit(X, y)` on each cross-validation fold and calls
            `predict_proba(X)`; X is a pandas DataFrame of the 30 features, y the diagnosis labels.
            \"\"\"
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

            """)

    /// Alice: gradient boosting on the raw features plus ratio features (lines 6-15).
    static let alice = SourceFile(
        path: "classifier.py",
        text: """
            \"\"\"Gradient boosting on the raw features plus a few shape ratios.\"\"\"
            import numpy as np
            from sklearn.ensemble import HistGradientBoostingClassifier


            def add_ratio_features(frame):
                \"\"\"Adds area / perimeter ratios and a compactness proxy per feature group.\"\"\"
                result = frame.copy()
                for prefix in ["mean", "se", "worst"]:
                    area = result[f"{prefix} area"]
                    perimeter = result[f"{prefix} perimeter"]
                    result[f"{prefix} area ratio"] = area / (perimeter ** 2 + 1e-9)
                    result[f"{prefix} shape"] = np.sqrt(area) / (result[f"{prefix} radius"] + 1e-9)
                result["concavity spread"] = result["worst concavity"] - result["mean concavity"]
                return result


            class Classifier:
                def __init__(self):
                    self.model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15)

                def fit(self, X, y):
                    self.model.fit(add_ratio_features(X), y)
                    self.classes_ = self.model.classes_
                    return self

                def predict_proba(self, X):
                    return self.model.predict_proba(add_ratio_features(X))

            """)

    /// Bob: a random forest with imputation, dropping some columns; independent of Alice.
    static let bob = SourceFile(
        path: "classifier.py",
        text: """
            \"\"\"Random forest with median imputation and balanced classes.\"\"\"
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.impute import SimpleImputer
            from sklearn.pipeline import make_pipeline


            class Classifier:
                def __init__(self, n_estimators=500):
                    self.model = make_pipeline(
                        SimpleImputer(strategy="median"),
                        RandomForestClassifier(
                            n_estimators=n_estimators, min_samples_leaf=2, class_weight="balanced", random_state=0
                        ),
                    )

                def fit(self, X, y):
                    # The fractal dimension errors carry little signal: leave them out.
                    self.columns_ = [column for column in X.columns if not column.endswith("fractal dimension error")]
                    self.model.fit(X[self.columns_], y)
                    self.classes_ = self.model.classes_
                    return self

                def predict_proba(self, X):
                    return self.model.predict_proba(X[self.columns_])

            """)

    /// Dave: the starting kit with a support vector machine instead of the logistic regression,
    /// and a log transform of the skewed features; independent of Alice and Bob.
    static let dave = SourceFile(
        path: "classifier.py",
        text: """
            \"\"\"Starting kit with an RBF support vector machine on log-transformed features.\"\"\"
            import numpy as np
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import FunctionTransformer, StandardScaler
            from sklearn.svm import SVC


            class Classifier:
                def __init__(self):
                    self.model = make_pipeline(
                        FunctionTransformer(np.log1p), StandardScaler(), SVC(C=3.0, gamma="scale", probability=True)
                    )

                def fit(self, X, y):
                    self.model.fit(X, y)
                    self.classes_ = self.model.classes_
                    return self

                def predict_proba(self, X):
                    return self.model.predict_proba(X)

            """)

    /// Carol: the starting kit on engineered features, where the feature function is Alice's
    /// `add_ratio_features` renamed, re-indented, with other names and comments (lines 22-33).
    static let carol = SourceFile(
        path: "model.py",
        text: """
            # Carol's submission: the starting kit's logistic regression on engineered features.
            import numpy as np
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler


            class Classifier:
                def __init__(self):
                    self.model = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))

                def fit(self, X, y):
                    self.model.fit(engineer(X), y)
                    self.classes_ = self.model.classes_
                    return self

                def predict_proba(self, X):
                    return self.model.predict_proba(engineer(X))


            # Our own shape descriptors.
            def engineer(df):
              out = df.copy()
              # One set of descriptors per statistic.
              for kind in ['mean', 'se', 'worst']:
                a = out[f'{kind} area']  # the area
                p = out[f'{kind} perimeter']
                out[f'{kind} area ratio'] = a / (p ** 2 + 1E-6)


                out[f'{kind} shape'] = np.sqrt(a) / (out[f'{kind} radius'] + 0.001)
              out['concavity spread'] = out['worst concavity'] - out['mean concavity']
              return out
            """)

    /// Erin: a feature module with her own outlier clipping (lines 5-11) and, below it, Alice's
    /// feature function copied without lineage (lines 14-22).
    static let erin = SourceFile(
        path: "features.py",
        text: """
            \"\"\"Feature engineering for our models.\"\"\"
            import numpy as np


            def clip_outliers(frame, lower=0.01, upper=0.99):
                \"\"\"Clips every column to its quantiles.\"\"\"
                clipped = frame.copy()
                for column in clipped.columns:
                    low, high = clipped[column].quantile([lower, upper])
                    clipped[column] = clipped[column].clip(low, high)
                return clipped


            def shapes(table):
                new = table.copy()
                for stat in ["mean", "se", "worst"]:
                    s = new[f"{stat} area"]
                    q = new[f"{stat} perimeter"]
                    new[f"{stat} area ratio"] = s / (q ** 2 + 1e-9)
                    new[f"{stat} shape"] = np.sqrt(s) / (new[f"{stat} radius"] + 1e-9)
                new["concavity spread"] = new["worst concavity"] - new["mean concavity"]
                return new
            """)

    /// Frank: both of Erin's functions, renamed, in the other order (shape features on lines
    /// 4-12, clipping on lines 15-20), without lineage.
    static let frank = SourceFile(
        path: "preprocessing.py",
        text: """
            import numpy


            def geometry(data):
                features = data.copy()
                for name in ["mean", "se", "worst"]:
                    x = features[f"{name} area"]
                    y = features[f"{name} perimeter"]
                    features[f"{name} area ratio"] = x / (y ** 2 + 1e-9)
                    features[f"{name} shape"] = numpy.sqrt(x) / (features[f"{name} radius"] + 1e-9)
                features["concavity spread"] = features["worst concavity"] - features["mean concavity"]
                return features


            def winsorise(values, bottom=0.05, top=0.95):
                result = values.copy()
                for key in result.columns:
                    first, last = result[key].quantile([bottom, top])
                    result[key] = result[key].clip(first, last)
                return result
            """)
}
