"""Starting kit: per-passband summaries of each light curve, plus host-galaxy metadata.

Forkboard calls `FeatureExtractor().fit(metadata, light_curves, y)` once on a fold's training
objects, then `transform(metadata, light_curves)` on them and, later, on the objects to
predict. `metadata` has one row per object (object_id, ra, decl, gal_l, gal_b, ddf,
hostgal_specz, hostgal_photoz, hostgal_photoz_err, distmod, mwebv; never the target);
`light_curves` has their observations (object_id, mjd, passband, flux, flux_err, detected).
`transform` returns one row of numbers per metadata row, in the same order.

At prediction time `transform` may be called several times, on batches of whole objects (the
test set is large): an object's features must depend on that object's rows only.

Everything is vectorised (numpy bincount, pandas groupby on integer keys): no Python loop per
object, so it stays fast at hundreds of millions of observations.
"""
import numpy as np
import pandas as pd

PASSBANDS = 6
METADATA_FEATURES = ["hostgal_photoz", "hostgal_photoz_err", "distmod", "mwebv", "ddf", "gal_b"]


class FeatureExtractor:
    def fit(self, metadata, light_curves, y):
        return self

    def transform(self, metadata, light_curves):
        ids = metadata["object_id"].to_numpy()
        count = len(ids)
        # Each observation's object: its row in `metadata` (observations of other ids are ignored).
        owner = pd.Index(ids).get_indexer(light_curves["object_id"].to_numpy())
        keep = owner >= 0
        owner = owner[keep].astype(np.int64)
        band = light_curves["passband"].to_numpy()[keep].astype(np.int64)
        flux = light_curves["flux"].to_numpy()[keep].astype(np.float64)
        error = light_curves["flux_err"].to_numpy()[keep].astype(np.float64)
        detected = light_curves["detected"].to_numpy()[keep].astype(np.float64)
        mjd = light_curves["mjd"].to_numpy()[keep].astype(np.float64)
        key = owner * PASSBANDS + band
        cells = count * PASSBANDS

        def per_cell(weights=None):
            return np.bincount(key, weights=weights, minlength=cells).astype(np.float64)

        def grid(values):
            return np.asarray(values, dtype=np.float64).reshape(count, PASSBANDS)

        with np.errstate(divide="ignore", invalid="ignore"):
            n = per_cell()
            mean = per_cell(flux) / n
            deviation = flux - mean[key]
            second = per_cell(deviation ** 2) / n
            third = per_cell(deviation ** 3) / n
            std = np.sqrt(second * n / (n - 1))
            skew = np.where((n >= 3) & (second > 0), third / second ** 1.5, np.nan)
            inverse_variance = 1.0 / error ** 2
            weighted_mean = per_cell(flux * inverse_variance) / per_cell(inverse_variance)
            detections = per_cell(detected)
            snr = np.abs(flux) / error
            by_cell = pd.DataFrame({"key": key, "flux": flux, "snr": snr}).groupby("key")
            maximum = by_cell["flux"].max().reindex(np.arange(cells)).to_numpy()
            minimum = by_cell["flux"].min().reindex(np.arange(cells)).to_numpy()
            snr_max = by_cell["snr"].max().reindex(np.arange(cells)).to_numpy()
            ratio = np.where(np.abs(mean) > 1e-9, maximum / np.abs(mean), np.nan)

            # Colour: each band's share of the brightest positive flux summed over bands.
            peak = np.clip(grid(maximum), 0, None)
            peak_total = np.nansum(peak, axis=1, keepdims=True)
            colour = np.where(peak_total > 0, peak / peak_total, np.nan)

            # Timing, over all bands: span of detected points, and rise and decline around
            # the brightest point (NaN without detections).
            by_object = pd.DataFrame({"owner": owner, "mjd": mjd, "flux": flux})
            detected_rows = by_object[detected > 0].groupby("owner")["mjd"]
            first = detected_rows.min().reindex(np.arange(count)).to_numpy()
            last = detected_rows.max().reindex(np.arange(count)).to_numpy()
            brightest = np.full(count, np.nan)
            if len(by_object):
                rows = by_object.groupby("owner")["flux"].idxmax()
                brightest[rows.index.to_numpy()] = mjd[rows.to_numpy()]
            brightest = np.where(np.isnan(first), np.nan, brightest)
            object_max = np.nanmax(np.where(np.isnan(grid(maximum)), -np.inf, grid(maximum)), axis=1)
            object_max = np.where(np.isfinite(object_max), object_max, np.nan)
            distmod = metadata["distmod"].to_numpy(dtype=np.float64)
            # A luminosity proxy: -0.4 * absolute magnitude, up to a constant (NaN for galactic objects).
            luminosity = np.log10(np.clip(object_max, 1.0, None)) + 0.4 * distmod

        columns = {}
        for name, values in [("mean", mean), ("std", std), ("max", maximum), ("min", minimum), ("skew", skew),
                             ("wmean", weighted_mean), ("detected", detections), ("snr_max", snr_max),
                             ("max_over_mean", ratio), ("count", n), ("colour", colour)]:
            values = grid(values)
            for b in range(PASSBANDS):
                columns[f"{name}_{b}"] = values[:, b]
        columns["detected_span"] = last - first
        columns["rise"] = brightest - first
        columns["decline"] = last - brightest
        columns["luminosity"] = luminosity
        columns["galactic"] = (metadata["hostgal_photoz"].to_numpy(dtype=np.float64) == 0).astype(np.float64)
        for name in METADATA_FEATURES:
            columns[name] = metadata[name].to_numpy(dtype=np.float64)
        features = pd.DataFrame(columns)
        return features.replace([np.inf, -np.inf], np.nan)
