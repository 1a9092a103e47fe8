import Foundation
import NewsMillNERWide

/// A weight matrix of K rows and N columns laid out for `MatrixMultiply`: panels of 16 columns,
/// each panel's K rows contiguous, so the kernel streams one panel with 64-byte loads.
struct PackedMatrix: Sendable {
    static let panelWidth = 16
    let rows: Int
    let columns: Int
    let panels: [Float]

    /// `element(k, n)` gives B[k][n]; N is padded with zero columns to a multiple of 16.
    init(rows: Int, columns: Int, element: (Int, Int) -> Float) {
        self.rows = rows
        self.columns = columns
        let panelCount = (columns + Self.panelWidth - 1) / Self.panelWidth
        var panels = [Float](repeating: 0, count: panelCount * rows * Self.panelWidth)
        for p in 0..<panelCount {
            for k in 0..<rows {
                for j in 0..<Self.panelWidth where p * Self.panelWidth + j < columns {
                    panels[(p * rows + k) * Self.panelWidth + j] = element(k, p * Self.panelWidth + j)
                }
            }
        }
        self.panels = panels
    }
}

/// C = A · B for row-major A (any row stride, so overlapping rows can be convolution windows)
/// and a packed B: register-blocked 4 rows × 16 columns, SIMD accumulators.
enum MatrixMultiply {
    /// Whether to use `WideMultiply`, which gives the same sums: this build has it and the CPU
    /// runs AVX-512 (F, BW, DQ, VL: x86-64-v4). NEWSMILL_NER_KERNEL=avx2 keeps the AVX2 kernel.
    static let wide: Bool = {
        #if NEWSMILL_WIDE_KERNEL
            guard ProcessInfo.processInfo.environment["NEWSMILL_NER_KERNEL"] != "avx2",
                let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
            else { return false }
            let listed = Set(flags.split(separator: " "))
            return ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { listed.contains(Substring($0)) }
        #else
            return false
        #endif
    }()

    /// Writes C[m][n] for m < `rows`, n < b.columns; `c` has row stride `ldc` ≥ b.columns.
    static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, rows: Int, _ b: PackedMatrix,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let k = b.rows
        let width = PackedMatrix.panelWidth
        b.panels.withUnsafeBufferPointer { panels in
            if wide {
                WideMultiply.multiply(a, lda: lda, rows: rows, panels: panels.baseAddress!, depth: k, columns: b.columns, into: c, ldc: ldc)
                return
            }
            let panelCount = (b.columns + width - 1) / width
            var m = 0
            while m + 4 <= rows {
                for p in 0..<panelCount {
                    let bp = panels.baseAddress! + p * k * width
                    let columns = min(width, b.columns - p * width)
                    kernel4(a + m * lda, lda: lda, bp, k, c + m * ldc + p * width, ldc: ldc, columns: columns)
                }
                m += 4
            }
            while m < rows {
                for p in 0..<panelCount {
                    let bp = panels.baseAddress! + p * k * width
                    let columns = min(width, b.columns - p * width)
                    kernel1(a + m * lda, bp, k, c + m * ldc + p * width, columns: columns)
                }
                m += 1
            }
        }
    }

    @inline(__always)
    private static func kernel4(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, _ k: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int
    ) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
        let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
        let raw = UnsafeRawPointer(b)
        for i in 0..<k {
            let bv = raw.loadUnaligned(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            c0 += a0[i] * bv
            c1 += a1[i] * bv
            c2 += a2[i] * bv
            c3 += a3[i] * bv
        }
        store(c0, c, columns)
        store(c1, c + ldc, columns)
        store(c2, c + 2 * ldc, columns)
        store(c3, c + 3 * ldc, columns)
    }

    @inline(__always)
    private static func kernel1(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ k: Int,
        _ c: UnsafeMutablePointer<Float>, columns: Int
    ) {
        var c0 = SIMD16<Float>()
        let raw = UnsafeRawPointer(b)
        for i in 0..<k {
            c0 += a[i] * raw.loadUnaligned(fromByteOffset: i * 64, as: SIMD16<Float>.self)
        }
        store(c0, c, columns)
    }

    @inline(__always)
    private static func store(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ columns: Int) {
        if columns == 16 {
            UnsafeMutableRawPointer(c).storeBytes(of: v, as: SIMD16<Float>.self)
        } else {
            for j in 0..<columns { c[j] = v[j] }
        }
    }
}
