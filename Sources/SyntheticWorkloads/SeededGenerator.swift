import Evaluation
import Foundation

/// The reproducible generator of synthetic workloads: the hub's own SplitMix64 (the one that
/// draws folds).
public typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// A standard normal draw (Box-Muller).
    public mutating func normal() -> Double {
        let first = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let second = Double.random(in: 0..<1, using: &self)
        return (-2 * log(first)).squareRoot() * cos(2 * Double.pi * second)
    }
}
