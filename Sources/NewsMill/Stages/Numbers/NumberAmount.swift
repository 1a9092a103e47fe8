/// An exact decimal, `significand × 10^exponent`: "5,3 млрд" is 53 × 10^8 until the end, so the
/// value written is 5300000000, not the 5299999999.999999 that 5.3 × 1e9 gives in binary.
struct NumberAmount: Equatable, Comparable {
    var significand: Int64
    var exponent: Int

    init(_ significand: Int64, exponent: Int = 0) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The amount times 10^power; nil when it no longer fits (no news figure comes near 2^63).
    func scaled(byPowerOfTen power: Int) -> NumberAmount? {
        var result = self
        result.exponent += power
        return result.normalized()
    }

    static func + (a: NumberAmount, b: NumberAmount) -> NumberAmount? {
        let exponent = min(a.exponent, b.exponent)
        guard let x = a.significand(at: exponent), let y = b.significand(at: exponent) else { return nil }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : NumberAmount(sum, exponent: exponent).normalized()
    }

    static func < (a: NumberAmount, b: NumberAmount) -> Bool { a.double < b.double }

    var double: Double {
        exponent >= 0 ? Double(significand) * Self.powerOfTen(exponent) : Double(significand) / Self.powerOfTen(-exponent)
    }

    /// The significand rewritten for a smaller exponent; nil on overflow.
    private func significand(at target: Int) -> Int64? {
        var s = significand
        for _ in 0..<(exponent - target) {
            let (product, overflow) = s.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            s = product
        }
        return s
    }

    /// Positive exponents folded into the significand while it fits, so equal values compare
    /// equal and `double` multiplies exact integers only.
    private func normalized() -> NumberAmount? {
        var result = self
        while result.exponent > 0 {
            let (product, overflow) = result.significand.multipliedReportingOverflow(by: 10)
            if overflow { return result.exponent > 22 ? nil : result }
            result.significand = product
            result.exponent -= 1
        }
        while result.exponent < 0 && result.significand != 0 && result.significand % 10 == 0 {
            result.significand /= 10
            result.exponent += 1
        }
        return result
    }

    /// 10^n for 0 ≤ n ≤ 22 is exact in a Double.
    private static func powerOfTen(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<min(n, 308) { p *= 10 }
        return p
    }
}
