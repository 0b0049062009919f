#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The natural logarithm, from the platform C library (the standard library has none).
func naturalLogarithm(_ value: Double) -> Double {
    log(value)
}
