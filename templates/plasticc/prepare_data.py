"""Prepare the PLAsTiCC-shaped challenge data: run by `forkboard init` as
`python prepare_data.py HUB/data`.

Nothing is downloaded: the data are SYNTHETIC, generated here with a fixed seed (the same
bytes on every run with the same options, numpy and machine), in the layout of Kaggle's 2018
Photometric LSST Astronomical Time-series Classification Challenge (PLAsTiCC; The PLAsTiCC
team et al. 2018, arXiv:1810.00001; models: Kessler et al. 2019, PASP 131:094501):

  DATA/public/training_set_metadata.csv   one row per training object, with `target`
  DATA/public/training_set.csv            its light curves, one row per observation
  DATA/private/test_set_metadata.csv      one row per test object, with `target` (the
                                          hub's truth, never given to a submission)
  DATA/private/test_set.csv               their light curves

Metadata columns: object_id,ra,decl,gal_l,gal_b,ddf,hostgal_specz,hostgal_photoz,
hostgal_photoz_err,distmod,mwebv,target (galactic objects: hostgal_photoz 0, distmod empty;
a missing value is an empty field). Light-curve columns: object_id,mjd,passband,flux,
flux_err,detected (passband 0-5 = u,g,r,i,z,y; flux is a difference flux in FLUXCAL units,
zero point 27.5, and may be negative; detected = |flux| / flux_err > 5).

Classes (PLAsTiCC's numbers): 6 microlensing, 15 tidal disruption event, 16 eclipsing
binary, 42 SN II, 52 SN Iax, 53 Mira, 62 SN Ibc, 64 kilonova, 65 M-dwarf flare, 67 SN
Ia-91bg, 88 AGN, 90 SN Ia, 92 RR Lyrae, 95 superluminous SN; test objects also have 99,
classes never seen in training (binary microlensing, intermediate-luminosity optical
transients, calcium-rich transients, pair-instability supernovae). Training class
frequencies follow PLAsTiCC's training set; the test set has the same mix plus 3% of 99.

Cadence: three observing seasons between MJD 59580 and 60675; most objects are in the wide
survey (ddf=0, about 128 visits over the three years, often two a night in different
bands), some in deep drilling fields (ddf=1, about 314 deeper visits): 29% of training and
1.1% of test objects, so that PLAsTiCC's size (--full: 7,848 training and 3,492,890 test
objects) gives about 183 and 130 observations per object, 455 million rows in all.

Options: --train-objects N --test-objects M (default 1000 and 2000: under a second, about
15 MB), --full (PLAsTiCC's size: about 18 GB of CSV, about 9 minutes of one core, under
250 MB of memory), --seed S, --workers K (parallel processes; the output does not depend
on K), --chunk-objects C (objects generated and written at a time; the output does not
depend on it either: every object's randomness comes from (seed, split, block of 1,000
objects)). `forkboard init` gives only DATA: the options may also be given in the
environment variable PLASTICC_PREPARE_OPTIONS (for example "--full --workers 4").
"""
import argparse
import os
import shlex
import sys
import time

import numpy as np

SEED = 20261207
FULL_TRAIN_OBJECTS = 7848
FULL_TEST_OBJECTS = 3492890
# Objects per block of randomness; fixed, so that the output depends neither on
# --chunk-objects nor on --workers (a chunk is a whole number of blocks).
BLOCK = 1000

MJD_START = 59580.0
YEAR = 365.25

# PLAsTiCC's training set counts, used as class frequencies (training and test).
CLASS_COUNTS = {90: 2313, 42: 1193, 65: 981, 16: 924, 15: 495, 62: 484, 88: 370, 92: 239,
                67: 208, 52: 183, 95: 175, 6: 151, 64: 102, 53: 30}
CLASSES = sorted(CLASS_COUNTS)
UNSEEN_FRACTION = 0.03
UNSEEN_KINDS = [991, 992, 993, 994]  # binary microlensing, ILOT, CaRT, PISN: all labelled 99
GALACTIC = {6, 16, 53, 65, 92, 991}

# LSST passbands: effective wavelengths (micrometres), single-visit 5-sigma depths (wide
# survey), Milky Way extinction per unit E(B-V), and the share of visits.
WAVELENGTH = np.array([0.357, 0.477, 0.621, 0.754, 0.871, 1.004])
DEPTH = np.array([23.9, 25.0, 24.7, 24.0, 23.3, 22.1])
EXTINCTION = np.array([4.145, 3.237, 2.273, 1.684, 1.323, 1.088])
BAND_SHARE = np.array([0.068, 0.095, 0.218, 0.218, 0.200, 0.201])
SKY_ERROR = 10 ** (-0.4 * (DEPTH - 27.5)) / 5  # flux error of a 5-sigma point source
DDF_FIELDS = np.array([[9.45, -44.0], [35.71, -4.75], [53.13, -28.10], [150.10, 2.18], [61.24, -48.42]])
DDF_SHARE = {"train": 0.29, "test": 0.011}
VISITS = {0: (128.0, 40, 400), 1: (314.0, 120, 900)}  # mean, least, most per object

# Extragalactic transients, rest frame: peak absolute magnitude (mean, scatter), Bazin rise
# and fall times (days), photosphere temperature at peak and late (K) and its cooling time
# (days), redshift range.
TRANSIENTS = {
    90: (-19.3, 0.15, 2.5, 22.0, 13000, 6000, 20.0, 0.05, 0.90),   # SN Ia
    67: (-17.8, 0.30, 1.6, 13.0, 8500, 4200, 10.0, 0.02, 0.35),    # SN Ia-91bg: fast, red
    52: (-17.6, 0.50, 2.8, 26.0, 10000, 5200, 16.0, 0.02, 0.45),   # SN Iax
    42: (-17.2, 0.60, 1.5, 75.0, 17000, 5200, 7.0, 0.02, 0.55),    # SN II: blue, then red and slow
    62: (-17.6, 0.40, 2.2, 17.0, 10500, 5000, 11.0, 0.02, 0.50),   # SN Ibc
    95: (-21.3, 0.40, 12.0, 50.0, 16000, 8500, 60.0, 0.10, 1.40),  # superluminous SN
    64: (-15.8, 0.30, 0.4, 1.8, 6000, 2500, 2.5, 0.005, 0.12),     # kilonova: days, red
    992: (-13.8, 0.50, 1.5, 12.0, 5000, 3500, 20.0, 0.003, 0.035),  # ILOT
    993: (-16.0, 0.40, 1.2, 9.0, 7000, 4500, 8.0, 0.005, 0.12),    # calcium-rich transient
    994: (-20.6, 0.40, 40.0, 130.0, 9000, 6000, 200.0, 0.05, 1.20),  # pair-instability SN
}
TDE = (-19.6, 0.50, 12.0, 40.0, 0.02, 0.70)  # peak, scatter, rise, power-law time, z range
AGN = (-22.5, 1.00, 0.10, 2.50)              # mean luminosity, scatter, z range

OBSERVATION_COLUMNS = "object_id,mjd,passband,flux,flux_err,detected"
META_COLUMNS = ("object_id,ra,decl,gal_l,gal_b,ddf,hostgal_specz,hostgal_photoz,"
                "hostgal_photoz_err,distmod,mwebv,target")
# Equatorial (J2000) to galactic coordinates.
TO_GALACTIC = np.array([[-0.0548755604, -0.8734370902, -0.4838350155],
                        [0.4941094279, -0.4448296300, 0.7469822445],
                        [-0.8676661490, -0.1980763734, 0.4559837762]])


# ---------------------------------------------------------------- cosmology and physics

def _distance_modulus_table():
    """Flat LambdaCDM, H0 = 70, Omega_m = 0.3: distance modulus on a redshift grid."""
    z = np.linspace(0.0, 4.0, 8001)
    inverse_e = 1.0 / np.sqrt(0.3 * (1 + z) ** 3 + 0.7)
    comoving = np.concatenate([[0.0], np.cumsum((inverse_e[1:] + inverse_e[:-1]) / 2 * np.diff(z))])
    luminosity_mpc = (1 + z) * 299792.458 / 70.0 * comoving
    with np.errstate(divide="ignore"):
        modulus = 5 * np.log10(luminosity_mpc) + 25
    return z[1:], modulus[1:]


_Z_GRID, _MU_GRID = _distance_modulus_table()


def distance_modulus(z):
    return np.interp(z, _Z_GRID, _MU_GRID)


def planck_ratio(wavelength, temperature):
    """Blackbody flux density at `wavelength` (um) relative to 0.6 um, same temperature."""
    x = 14387.77 / temperature
    return (0.6 / wavelength) ** 5 * np.expm1(x / 0.6) / np.expm1(np.minimum(x / wavelength, 700.0))


def magnitude_to_flux(magnitude):
    return 10 ** (-0.4 * (magnitude - 27.5))


def paczynski(t, t0, te, u0):
    """Point-lens magnification A(u) - 1."""
    u2 = u0 ** 2 + ((t - t0) / te) ** 2
    return (u2 + 2) / np.sqrt(u2 * (u2 + 4)) - 1


def log_uniform(rng, low, high, size):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


# ---------------------------------------------------------------- light-curve models
# Each model gets, for the rows of its objects: t (mjd), band (0-5), k (the object's index
# within the class), and the class's objects (a dict of per-object arrays), and returns the
# true difference flux of each row before Milky Way extinction.

def transient_flux(rng, kind, objects, t, band, k):
    peak, scatter, rise, fall, t_hot, t_cool, cooling, _, _ = TRANSIENTS[kind]
    n = len(objects["z"])
    z = objects["z"]
    amplitude = magnitude_to_flux(rng.normal(peak, scatter, n) + distance_modulus(z))
    rise = rise * rng.uniform(0.75, 1.3, n)
    fall = fall * rng.uniform(0.75, 1.3, n)
    t_hot = t_hot * rng.uniform(0.9, 1.1, n)
    # Phase of the Bazin peak: rise * ln(fall / rise - 1).
    shift = rise * np.log(np.maximum(fall / rise - 1, 1.01))
    phase = (t - objects["t_peak"][k]) / (1 + z[k])
    tau = phase + shift[k]
    log_shape = -tau / fall[k] - np.logaddexp(0.0, -tau / rise[k])
    log_peak = -shift / fall - np.logaddexp(0.0, -shift / rise)
    shape = np.exp(log_shape - log_peak[k])
    temperature = t_cool + (t_hot[k] - t_cool) * np.exp(-np.maximum(phase, 0.0) / cooling)
    colour = planck_ratio(WAVELENGTH[band] / (1 + z[k]), temperature)
    return amplitude[k] * shape * colour


def tde_flux(rng, objects, t, band, k):
    peak, scatter, rise, power_time, _, _ = TDE
    n = len(objects["z"])
    z = objects["z"]
    amplitude = magnitude_to_flux(rng.normal(peak, scatter, n) + distance_modulus(z))
    rise = rise * rng.uniform(0.6, 1.5, n)
    power_time = power_time * rng.uniform(0.6, 1.6, n)
    temperature = rng.uniform(22000, 38000, n)
    phase = (t - objects["t_peak"][k]) / (1 + z[k])
    before = np.exp(-0.5 * (np.minimum(phase, 0.0) / rise[k]) ** 2)
    after = (1 + np.maximum(phase, 0.0) / power_time[k]) ** (-5.0 / 3.0)
    shape = np.where(phase < 0, before, after)
    return amplitude[k] * shape * planck_ratio(WAVELENGTH[band] / (1 + z[k]), temperature[k])


def agn_flux(rng, objects, t, band, k):
    """Damped random walk in magnitude (random Fourier features of the exponential
    covariance: 24 cosines with Cauchy-distributed frequencies)."""
    n = len(objects["z"])
    z = objects["z"]
    mean_flux = magnitude_to_flux(rng.normal(AGN[0], AGN[1], n) + distance_modulus(z))
    sigma = rng.uniform(0.08, 0.35, n)
    tau = log_uniform(rng, 30, 400, n) * (1 + z)
    features = 24
    omega = rng.standard_cauchy((n, features)) / tau[:, None]
    offset = rng.uniform(0, 2 * np.pi, (n, features))
    walk = np.zeros(len(t))
    for j in range(features):
        walk += np.cos(omega[k, j] * (t - MJD_START) + offset[k, j])
    walk *= np.sqrt(2.0 / features)
    rest = WAVELENGTH[band] / (1 + z[k])
    band_sigma = sigma[k] * (rest / 0.3) ** -0.5
    colour = (WAVELENGTH[band] / 0.6) ** 0.5
    return mean_flux[k] * colour * (10 ** (-0.4 * band_sigma * walk) - 1)


def star(rng, n, brightest, faintest, cold, hot):
    flux = magnitude_to_flux(rng.uniform(brightest, faintest, n))
    return flux, rng.uniform(cold, hot, n)


def microlensing_flux(rng, objects, t, band, k):
    n = len(objects["t_peak"])
    flux, temperature = star(rng, n, 17.0, 22.5, 3500, 9000)
    blend = rng.uniform(0.3, 1.0, n)
    u0 = log_uniform(rng, 0.03, 1.0, n)
    te = log_uniform(rng, 8, 120, n)
    magnification = paczynski(t, objects["t_peak"][k], te[k], u0[k])
    return flux[k] * blend[k] * planck_ratio(WAVELENGTH[band], temperature[k]) * magnification


def binary_microlensing_flux(rng, objects, t, band, k):
    n = len(objects["t_peak"])
    flux, temperature = star(rng, n, 17.0, 22.0, 3500, 9000)
    u0 = log_uniform(rng, 0.05, 0.8, (n, 2))
    te = log_uniform(rng, 10, 80, n)
    separation = rng.uniform(0.6, 2.5, n) * te * rng.choice([-1, 1], n)
    ratio = rng.uniform(0.2, 1.0, n)
    spike_time = objects["t_peak"] + rng.uniform(0.2, 0.8, n) * separation
    spike_width = rng.uniform(0.5, 3.0, n)
    spike_height = rng.uniform(3, 20, n)
    t0 = objects["t_peak"][k]
    magnification = (paczynski(t, t0, te[k], u0[k, 0])
                     + ratio[k] * paczynski(t, t0 + separation[k], te[k], u0[k, 1])
                     + spike_height[k] * np.exp(-0.5 * ((t - spike_time[k]) / spike_width[k]) ** 2))
    return flux[k] * planck_ratio(WAVELENGTH[band], temperature[k]) * magnification


def eclipsing_flux(rng, objects, t, band, k):
    n = len(objects["t_peak"])
    flux, temperature = star(rng, n, 16.0, 21.5, 4500, 9500)
    period = log_uniform(rng, 0.4, 10.0, n)
    primary = rng.uniform(0.1, 0.8, n)
    secondary = primary * rng.uniform(0.05, 0.9, n)
    width = rng.uniform(0.02, 0.08, n)
    ellipsoidal = rng.uniform(0.0, 0.05, n)
    phase = (t - objects["t_peak"][k]) / period[k]

    def dip(centre):
        d = (phase - centre + 0.5) % 1.0 - 0.5
        return np.exp(-0.5 * (d / width[k]) ** 2)

    depth_colour = 1 + 0.06 * (band - 2.5)
    shape = (-primary[k] * depth_colour * dip(0.0) - secondary[k] * dip(0.5)
             - ellipsoidal[k] * np.cos(4 * np.pi * phase))
    mean = -(primary + secondary) * width * np.sqrt(2 * np.pi)
    return flux[k] * planck_ratio(WAVELENGTH[band], temperature[k]) * (shape - mean[k])


RR_LYRAE_BAND = np.array([1.35, 1.0, 0.78, 0.62, 0.55, 0.5])
MIRA_BAND = np.array([1.6, 1.4, 1.0, 0.7, 0.5, 0.4])


def rr_lyrae_flux(rng, objects, t, band, k):
    n = len(objects["t_peak"])
    flux, _ = star(rng, n, 15.5, 21.5, 6000, 7000)
    overtone = rng.uniform(0, 1, n) < 0.25  # RRc: shorter, smaller, sinusoidal
    period = np.where(overtone, rng.uniform(0.25, 0.42, n), rng.uniform(0.45, 0.8, n))
    amplitude = np.where(overtone, rng.uniform(0.25, 0.55, n), rng.uniform(0.5, 1.3, n))
    harmonics = np.where(overtone, 1, 6)
    phase = (t - objects["t_peak"][k]) / period[k]
    saw = np.zeros(len(t))
    for j in range(1, 7):
        saw += np.where(j <= harmonics[k], np.sin(2 * np.pi * j * phase) / j, 0.0)
    delta_magnitude = -amplitude[k] * RR_LYRAE_BAND[band] * saw / np.pi * np.where(overtone[k], np.pi / 2, 1.0)
    return flux[k] * planck_ratio(WAVELENGTH[band], 6500.0) * (10 ** (-0.4 * delta_magnitude) - 1)


def mira_flux(rng, objects, t, band, k):
    n = len(objects["t_peak"])
    flux, temperature = star(rng, n, 15.0, 19.5, 2600, 3300)
    period = rng.uniform(150, 450, n)
    amplitude = rng.uniform(1.5, 4.0, n)
    skew = rng.uniform(0.0, 0.3, n)
    phase = 2 * np.pi * (t - objects["t_peak"][k]) / period[k]
    wave = np.sin(phase) + skew[k] * np.sin(2 * phase)
    delta_magnitude = -0.5 * amplitude[k] * MIRA_BAND[band] * wave
    return flux[k] * planck_ratio(WAVELENGTH[band], temperature[k]) * (10 ** (-0.4 * delta_magnitude) - 1)


def flare_flux(rng, objects, t, band, k, starts):
    """M dwarf: quiet (a little noise), with flares caught by one visit and decaying over
    minutes to hours (the next visit of the same night sees its tail)."""
    n = len(objects["t_peak"])
    quiet = magnitude_to_flux(rng.uniform(17.0, 22.0, n))
    rate = rng.uniform(0.01, 0.06, n)
    rows = len(t)
    flux = quiet[k] * 0.01 * rng.standard_normal(rows)
    flaring = rng.uniform(0, 1, rows) < rate[k]
    # Every M dwarf shows at least one flare: one visit of each object is forced.
    counts = np.diff(np.append(starts, rows))
    flaring[starts + (rng.uniform(0, 1, n) * counts).astype(np.int64)] = True
    events = np.flatnonzero(flaring)
    onset = t[events] - rng.uniform(0.0, 0.02, len(events))
    decay = rng.uniform(0.005, 0.06, len(events))
    height = quiet[k[events]] * log_uniform(rng, 0.5, 30.0, len(events))
    for step in (0, 1):
        target = events + step
        keep = target < rows
        target, source = target[keep], np.flatnonzero(keep)
        keep = k[target] == k[events[source]]
        target, source = target[keep], source[keep]
        elapsed = np.maximum(t[target] - onset[source], 0.0)
        flux[target] += (height[source] * np.exp(-elapsed / decay[source])
                         * planck_ratio(WAVELENGTH[band[target]], 9000.0))
    return flux


# ---------------------------------------------------------------- one block of objects

def assign_classes(rng, count, with_unseen):
    """`count` class labels in PLAsTiCC's proportions (largest remainder; every class at
    least min(6, count // 14) times), shuffled. Unseen objects get 991-994 (written 99)."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    unseen = int(round(UNSEEN_FRACTION * count)) if with_unseen else 0
    if with_unseen and count >= 30:
        unseen = max(unseen, 1)
    seen = count - unseen
    weights = np.array([CLASS_COUNTS[c] for c in CLASSES], dtype=float)
    exact = weights / weights.sum() * seen
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: seen - counts.sum()]] += 1
    least = min(6, seen // len(CLASSES))
    for i in np.flatnonzero(counts < least):
        need = least - counts[i]
        counts[i] += need
        counts[np.argmax(counts)] -= need
    labels = np.repeat(np.array(CLASSES, dtype=np.int64), counts)
    labels = np.concatenate([labels, np.array(UNSEEN_KINDS, dtype=np.int64)[rng.integers(0, 4, unseen)]])
    return rng.permutation(labels)


def object_ids(split, start, stop, train_count, test_count, rng):
    """Unique, increasing ids: test ids at 10 + 36 i (+0..17), training ids at 28 + 36 j
    (+0..17), i and j spread over the same range, so the two sets interleave."""
    span = max(train_count, test_count, 1)
    index = np.arange(start, stop, dtype=np.int64)
    if split == "train":
        base = 28 + 36 * (index * span // max(train_count, 1))
    else:
        base = 10 + 36 * (index * span // max(test_count, 1))
    return base + rng.integers(0, 18, len(index))


def sky_positions(rng, n, galactic, ddf):
    ra = np.empty(n)
    dec = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        m = len(todo)
        gal = galactic[todo]
        # Extragalactic: uniform on the LSST sky (dec -70..+5); galactic: towards the plane.
        r = rng.uniform(0, 360, m)
        d = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(-70)), np.sin(np.radians(5)), m)))
        l = rng.uniform(0, 360, m)
        b = np.clip(rng.laplace(0, 12, m), -89, 89)
        gr, gd = galactic_to_equatorial(l, b)
        r = np.where(gal, gr, r)
        d = np.where(gal, gd, d)
        _, bb = equatorial_to_galactic(r, d)
        ok = (d <= 5) & (d >= -75) & (gal | (np.abs(bb) > 8))
        ra[todo[ok]] = r[ok]
        dec[todo[ok]] = d[ok]
        todo = todo[~ok]
    deep = np.flatnonzero(ddf)
    if len(deep):
        field = DDF_FIELDS[rng.integers(0, len(DDF_FIELDS), len(deep))]
        radius = 1.75 * np.sqrt(rng.uniform(0, 1, len(deep)))
        angle = rng.uniform(0, 2 * np.pi, len(deep))
        dec[deep] = field[:, 1] + radius * np.sin(angle)
        ra[deep] = (field[:, 0] + radius * np.cos(angle) / np.cos(np.radians(field[:, 1]))) % 360
    return ra, dec


def _unit(ra, dec):
    ra, dec = np.radians(ra), np.radians(dec)
    return np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])


def _angles(vector):
    lon = np.degrees(np.arctan2(vector[1], vector[0])) % 360
    lat = np.degrees(np.arcsin(np.clip(vector[2], -1, 1)))
    return lon, lat


def equatorial_to_galactic(ra, dec):
    return _angles(TO_GALACTIC @ _unit(ra, dec))


def galactic_to_equatorial(l, b):
    return _angles(TO_GALACTIC.T @ _unit(l, b))


def generate_block(seed, split, block, labels, ids):
    """One block of objects: (metadata columns, observation columns), all numpy arrays."""
    rng = np.random.default_rng([seed, 0 if split == "train" else 1, 0, block])
    n = len(labels)
    galactic = np.isin(labels, list(GALACTIC))
    ddf = rng.uniform(0, 1, n) < DDF_SHARE[split]
    ra, decl = sky_positions(rng, n, galactic, ddf)
    gal_l, gal_b = equatorial_to_galactic(ra, decl)
    mwebv = np.minimum(0.02 / np.maximum(np.sin(np.radians(np.abs(gal_b))), 0.01)
                       * rng.lognormal(0, 0.3, n), 3.0)

    # Cadence: per object, three seasons of `length` days starting `offset` days into each year.
    mean = np.where(ddf, VISITS[1][0], VISITS[0][0])
    least = np.where(ddf, VISITS[1][1], VISITS[0][1])
    most = np.where(ddf, VISITS[1][2], VISITS[0][2])
    counts = np.clip(np.rint(mean * rng.lognormal(-0.03, 0.25, n)), least, most).astype(np.int64)
    length = np.where(ddf, rng.uniform(140, 180, n), rng.uniform(150, 200, n))
    offset = rng.uniform(0, 1, n) * (YEAR - length - 0.5)
    rows = int(counts.sum())
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    owner = np.repeat(np.arange(n), counts)
    within = np.arange(rows) - starts[owner]
    season = rng.integers(0, 3, rows)
    mjd = MJD_START + offset[owner] + YEAR * season + rng.uniform(0, 1, rows) * length[owner]
    # Visits come in pairs: the second of a pair 20-90 minutes after the first.
    second = np.flatnonzero(within % 2 == 1)
    mjd[second] = mjd[second - 1] + rng.uniform(0.014, 0.0625, len(second))
    passband = np.searchsorted(np.cumsum(BAND_SHARE) / BAND_SHARE.sum(), rng.uniform(0, 1, rows), side="right")
    passband = np.minimum(passband, 5)
    first = within < 18  # at least three visits in every band
    passband[first] = within[first] % 6
    same = second[passband[second] == passband[second - 1]]
    passband[same] = (passband[same] + 1) % 6
    mjd = np.round(mjd, 4)
    order = np.lexsort((passband, mjd, owner))
    mjd, passband = mjd[order], passband[order]

    # Redshifts, hosts, and the time of each object's event (inside one of its seasons).
    z = np.zeros(n)
    t_peak = (MJD_START + offset + YEAR * rng.integers(0, 3, n)
              + rng.uniform(-0.1, 1.0, n) * length)
    flux = np.zeros(rows)
    for kind in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == kind)
        if kind in TRANSIENTS:
            low, high = TRANSIENTS[kind][7:9]
        elif kind == 15:
            low, high = TDE[4:6]
        elif kind == 88:
            low, high = AGN[2:4]
        else:
            continue
        # Number density ~ z (a volume and detection compromise): z = low + (high-low) sqrt(u).
        z[members] = low + (high - low) * np.sqrt(rng.uniform(0, 1, len(members)))
    for kind in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == kind)
        index = np.full(n, -1)
        index[members] = np.arange(len(members))
        mask = index[owner] >= 0
        where = np.flatnonzero(mask)
        k = index[owner[where]]
        objects = {"z": z[members], "t_peak": t_peak[members]}
        t, band = mjd[where], passband[where]
        if kind in TRANSIENTS:
            flux[where] = transient_flux(rng, kind, objects, t, band, k)
        elif kind == 15:
            flux[where] = tde_flux(rng, objects, t, band, k)
        elif kind == 88:
            flux[where] = agn_flux(rng, objects, t, band, k)
        elif kind == 6:
            flux[where] = microlensing_flux(rng, objects, t, band, k)
        elif kind == 991:
            flux[where] = binary_microlensing_flux(rng, objects, t, band, k)
        elif kind == 16:
            flux[where] = eclipsing_flux(rng, objects, t, band, k)
        elif kind == 92:
            flux[where] = rr_lyrae_flux(rng, objects, t, band, k)
        elif kind == 53:
            flux[where] = mira_flux(rng, objects, t, band, k)
        elif kind == 65:
            member_starts = np.flatnonzero(np.diff(np.concatenate([[-1], k])) != 0)
            flux[where] = flare_flux(rng, objects, t, band, k, member_starts)
        else:
            raise AssertionError(kind)
    flux *= 10 ** (-0.4 * EXTINCTION[passband] * mwebv[owner])
    flux = np.clip(flux, -5e6, 5e6)

    # Noise: the sky (deeper in deep fields), varying visit to visit, plus the source's own.
    sky = SKY_ERROR[passband] * np.where(ddf[owner], 0.55, 1.0) * rng.lognormal(0, 0.3, rows)
    flux_err = np.sqrt(sky ** 2 + 0.3 * np.abs(flux) + (0.005 * flux) ** 2)
    flux_err = np.maximum(np.round(flux_err, 3), 0.001)
    flux = np.round(flux + flux_err * rng.standard_normal(rows), 3)
    detected = (np.abs(flux) / flux_err > 5).astype(np.int64)

    # Host galaxies: photometric redshifts (with errors and 5% outliers); spectroscopic
    # redshifts for every extragalactic training object, few test ones (PLAsTiCC's test set).
    extragalactic = ~galactic
    photoz_err = (0.01 + 0.06 * rng.uniform(0, 1, n) ** 2) * (1 + z)
    photoz = z + photoz_err * rng.standard_normal(n)
    outlier = rng.uniform(0, 1, n) < 0.05
    photoz = np.where(outlier, rng.uniform(0.02, 1.5, n), photoz)
    photoz_err = np.where(outlier, photoz_err * rng.uniform(1, 4, n), photoz_err)
    photoz = np.maximum(photoz, 0.003)
    known = np.ones(n, dtype=bool) if split == "train" else rng.uniform(0, 1, n) < np.where(ddf, 0.3, 0.02)
    specz = np.where(galactic, 0.0, np.where(known, z, np.nan))
    photoz = np.where(extragalactic, np.round(photoz, 4), 0.0)
    photoz_err = np.where(extragalactic, np.round(np.maximum(photoz_err, 0.0001), 4), 0.0)
    distmod = np.where(extragalactic, distance_modulus(photoz), np.nan)
    target = np.where(labels >= 991, 99, labels)

    metadata = [ids, ra, decl, gal_l, gal_b, ddf.astype(np.int64), specz, photoz, photoz_err,
                distmod, mwebv, target]
    observations = [ids[owner], mjd, passband, flux, flux_err, detected]
    return metadata, observations


# ---------------------------------------------------------------- fast CSV formatting

_DIGITS4 = np.array([list(f"{i:04d}".encode()) for i in range(10000)], dtype=np.uint8)
SPACE, MINUS, DOT, COMMA, NEWLINE = 32, 45, 46, 44, 10


def _digits(q, width):
    """Non-negative int64 -> (n, width) ASCII digits, zero-padded."""
    out = np.empty((len(q), width), dtype=np.uint8)
    position = width
    while position > 0:
        take = min(4, position)
        out[:, position - take:position] = _DIGITS4[q % 10000][:, 4 - take:]
        q = q // 10000
        position -= take
    return out


def format_column(values, decimals=0):
    """A column as a (n, width) block of ASCII, right-aligned with spaces (removed when
    the row is written): integers, or fixed-point with `decimals` digits; NaN -> empty."""
    values = np.asarray(values)
    if values.dtype.kind in "iub" and decimals == 0:
        if len(values) and values.min() >= 0 and values.max() <= 9:
            return (values.astype(np.uint8) + 48)[:, None]
        nan = np.zeros(len(values), dtype=bool)
        magnitude = np.abs(values.astype(np.int64))
        negative = values < 0
    else:
        nan = np.isnan(values)
        v = np.where(nan, 0.0, values)
        magnitude = np.rint(np.abs(v) * 10 ** decimals).astype(np.int64)
        negative = (v < 0) & (magnitude > 0)
    scale = 10 ** decimals
    whole = magnitude // scale
    largest = int(whole.max()) if len(whole) else 0
    int_width = max(len(str(largest)), 1)
    signed = bool(negative.any())
    width = int(signed) + int_width + (decimals + 1 if decimals else 0)
    block = np.empty((len(values), width), dtype=np.uint8)
    integer = block[:, int(signed):int(signed) + int_width]
    integer[:] = _digits(whole, int_width)
    powers = 10 ** np.arange(1, int_width, dtype=np.int64)
    blanks = int_width - 1 - np.searchsorted(powers, whole, side="right")
    integer[np.arange(int_width)[None, :] < blanks[:, None]] = SPACE
    if signed:
        block[:, 0] = SPACE
        rows = np.flatnonzero(negative)
        block[rows, blanks[rows]] = MINUS
    if decimals:
        block[:, -decimals - 1] = DOT
        block[:, -decimals:] = _digits(magnitude - whole * scale, decimals)
    block[nan] = SPACE
    return block


def csv_rows(blocks):
    """Joins column blocks with commas and newlines; drops the padding."""
    n = blocks[0].shape[0]
    width = sum(b.shape[1] for b in blocks) + len(blocks)
    matrix = np.empty((n, width), dtype=np.uint8)
    position = 0
    for index, block in enumerate(blocks):
        matrix[:, position:position + block.shape[1]] = block
        position += block.shape[1]
        matrix[:, position] = NEWLINE if index == len(blocks) - 1 else COMMA
        position += 1
    return matrix[matrix != SPACE].tobytes()


META_DECIMALS = [0, 6, 6, 6, 6, 0, 4, 4, 4, 4, 3, 0]
OBSERVATION_DECIMALS = [0, 4, 0, 3, 3, 0]


def chunk_bytes(task):
    """Generates and formats objects [start, stop) of a split: (metadata, observations, rows)."""
    seed, split, start, stop, labels, train_count, test_count = task
    metadata_parts, observation_parts, rows = [], [], 0
    for block_start in range(start, stop, BLOCK):
        block_stop = min(block_start + BLOCK, stop)
        block = block_start // BLOCK
        id_rng = np.random.default_rng([seed, 0 if split == "train" else 1, 1, block])
        ids = object_ids(split, block_start, block_stop, train_count, test_count, id_rng)
        metadata, observations = generate_block(seed, split, block, labels[block_start - start:block_stop - start], ids)
        metadata_parts.append(csv_rows([format_column(c, d) for c, d in zip(metadata, META_DECIMALS)]))
        id_block = format_column(ids)
        blocks = [id_block[np.searchsorted(ids, observations[0])]] + [format_column(c, d) for c, d in zip(observations[1:], OBSERVATION_DECIMALS[1:])]
        observation_parts.append(csv_rows(blocks))
        rows += len(observations[0])
    return b"".join(metadata_parts), b"".join(observation_parts), rows


def write_split(directory, metadata_name, observations_name, split, count, args, pool):
    class_rng = np.random.default_rng([args.seed, 0 if split == "train" else 1, 2])
    labels = assign_classes(class_rng, count, with_unseen=(split == "test"))
    chunk = max(BLOCK, args.chunk_objects // BLOCK * BLOCK)
    tasks = [(args.seed, split, s, min(s + chunk, count), labels[s:min(s + chunk, count)],
              args.train_objects, args.test_objects) for s in range(0, count, chunk)]
    metadata_path = os.path.join(directory, metadata_name)
    observations_path = os.path.join(directory, observations_name)
    rows = 0
    with open(metadata_path + ".partial", "wb") as metadata_file, open(observations_path + ".partial", "wb") as observations_file:
        metadata_file.write((META_COLUMNS + "\n").encode())
        observations_file.write((OBSERVATION_COLUMNS + "\n").encode())
        if pool is None:
            results = map(chunk_bytes, tasks)
        else:
            # At most 2 chunks per worker in flight: memory stays bounded.
            results = bounded_imap(pool, chunk_bytes, tasks, 2 * args.workers)
        for metadata_bytes, observation_bytes, chunk_rows in results:
            metadata_file.write(metadata_bytes)
            observations_file.write(observation_bytes)
            rows += chunk_rows
    os.replace(metadata_path + ".partial", metadata_path)
    os.replace(observations_path + ".partial", observations_path)
    return rows


def bounded_imap(pool, function, tasks, in_flight):
    pending = []
    for task in tasks:
        pending.append(pool.apply_async(function, (task,)))
        if len(pending) >= in_flight:
            yield pending.pop(0).get()
    while pending:
        yield pending.pop(0).get()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_directory")
    parser.add_argument("--train-objects", type=int, default=1000)
    parser.add_argument("--test-objects", type=int, default=2000)
    parser.add_argument("--full", action="store_true", help=f"PLAsTiCC's size: {FULL_TRAIN_OBJECTS} training, {FULL_TEST_OBJECTS} test objects")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--chunk-objects", type=int, default=10000)
    args = parser.parse_args(argv)
    if args.full:
        args.train_objects, args.test_objects = FULL_TRAIN_OBJECTS, FULL_TEST_OBJECTS
    if args.train_objects < 15 or args.test_objects < 1:
        parser.error("--train-objects must be at least 15 (every class at least once) and --test-objects at least 1")
    public = os.path.join(args.data_directory, "public")
    private = os.path.join(args.data_directory, "private")
    os.makedirs(public, exist_ok=True)
    os.makedirs(private, exist_ok=True)
    began = time.monotonic()
    pool = None
    if args.workers > 1:
        import multiprocessing
        pool = multiprocessing.get_context("spawn").Pool(args.workers)
    try:
        train_rows = write_split(public, "training_set_metadata.csv", "training_set.csv", "train", args.train_objects, args, pool)
        test_rows = write_split(private, "test_set_metadata.csv", "test_set.csv", "test", args.test_objects, args, pool)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    print(f"training_set_metadata.csv: {args.train_objects} objects, training_set.csv: {train_rows} rows; "
          f"test_set_metadata.csv: {args.test_objects} objects, test_set.csv: {test_rows} rows "
          f"({time.monotonic() - began:.1f} s)")


if __name__ == "__main__":
    # `forkboard init` passes only the data directory: options may also come from the
    # environment, e.g. PLASTICC_PREPARE_OPTIONS="--full --workers 4" forkboard init ...
    main(sys.argv[1:] + shlex.split(os.environ.get("PLASTICC_PREPARE_OPTIONS", "")))
