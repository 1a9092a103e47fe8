/// The NER model's matrix product for CPUs with AVX-512, in a module of its own because only
/// this module is compiled for them (Package.swift): `NewsMillNER` calls it after checking the
/// CPU. Its 32 vector registers hold 8 rows × 16 columns of sums, twice the rows of the AVX2
/// kernel, so one load of B feeds 8 multiply-adds and the adds of one sum are far enough apart
/// not to wait for each other. Every element is still summed in the order of k, a multiply then
/// an add (never fused), so the result is bit for bit the AVX2 kernel's. `kernel1` and `store`
/// repeat the AVX2 file's on purpose: code shared from `NewsMillNER` would be compiled for AVX2.
public enum WideMultiply {
    /// C[m][n] = Σ_k A[m][k] · B[k][n] for m < `rows`, n < `columns`. B is packed in panels of
    /// 16 columns, each panel's `depth` rows contiguous (`PackedMatrix`).
    public static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, rows: Int, panels: UnsafePointer<Float>, depth: Int, columns: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let panelCount = (columns + 15) / 16
        var m = 0
        while m + 8 <= rows {
            var p = 0
            while p + 2 <= panelCount && p * 16 + 32 <= columns {
                kernel8x2(a + m * lda, lda: lda, panels + p * depth * 16, depth, c + m * ldc + p * 16, ldc: ldc)
                p += 2
            }
            while p < panelCount {
                kernel8(
                    a + m * lda, lda: lda, panels + p * depth * 16, depth, c + m * ldc + p * 16, ldc: ldc,
                    columns: min(16, columns - p * 16))
                p += 1
            }
            m += 8
        }
        while m < rows {
            for p in 0..<panelCount {
                kernel1(a + m * lda, panels + p * depth * 16, depth, c + m * ldc + p * 16, columns: min(16, columns - p * 16))
            }
            m += 1
        }
    }

    /// 8 rows × 2 panels: 16 sums in registers.
    @inline(__always)
    private static func kernel8x2(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, _ depth: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        var s = (
            SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(),
            SIMD16<Float>()
        )
        var t = s
        let raw = UnsafeRawPointer(b), raw2 = UnsafeRawPointer(b + depth * 16)
        for i in 0..<depth {
            let b0 = raw.loadUnaligned(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            let b1 = raw2.loadUnaligned(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            var x = a[i]
            s.0 += x * b0; t.0 += x * b1
            x = a[lda + i]
            s.1 += x * b0; t.1 += x * b1
            x = a[2 * lda + i]
            s.2 += x * b0; t.2 += x * b1
            x = a[3 * lda + i]
            s.3 += x * b0; t.3 += x * b1
            x = a[4 * lda + i]
            s.4 += x * b0; t.4 += x * b1
            x = a[5 * lda + i]
            s.5 += x * b0; t.5 += x * b1
            x = a[6 * lda + i]
            s.6 += x * b0; t.6 += x * b1
            x = a[7 * lda + i]
            s.7 += x * b0; t.7 += x * b1
        }
        let r = UnsafeMutableRawPointer(c)
        let stride = ldc * 4
        r.storeBytes(of: s.0, as: SIMD16<Float>.self); r.storeBytes(of: t.0, toByteOffset: 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.1, toByteOffset: stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.1, toByteOffset: stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.2, toByteOffset: 2 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.2, toByteOffset: 2 * stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.3, toByteOffset: 3 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.3, toByteOffset: 3 * stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.4, toByteOffset: 4 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.4, toByteOffset: 4 * stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.5, toByteOffset: 5 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.5, toByteOffset: 5 * stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.6, toByteOffset: 6 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.6, toByteOffset: 6 * stride + 64, as: SIMD16<Float>.self)
        r.storeBytes(of: s.7, toByteOffset: 7 * stride, as: SIMD16<Float>.self);
        r.storeBytes(of: t.7, toByteOffset: 7 * stride + 64, as: SIMD16<Float>.self)
    }

    @inline(__always)
    private static func kernel8(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, _ depth: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int
    ) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
        var c4 = SIMD16<Float>(), c5 = SIMD16<Float>(), c6 = SIMD16<Float>(), c7 = SIMD16<Float>()
        let raw = UnsafeRawPointer(b)
        for i in 0..<depth {
            let bv = raw.loadUnaligned(fromByteOffset: i * 64, as: SIMD16<Float>.self)
            c0 += a[i] * bv
            c1 += a[lda + i] * bv
            c2 += a[2 * lda + i] * bv
            c3 += a[3 * lda + i] * bv
            c4 += a[4 * lda + i] * bv
            c5 += a[5 * lda + i] * bv
            c6 += a[6 * lda + i] * bv
            c7 += a[7 * lda + i] * bv
        }
        store(c0, c, columns)
        store(c1, c + ldc, columns)
        store(c2, c + 2 * ldc, columns)
        store(c3, c + 3 * ldc, columns)
        store(c4, c + 4 * ldc, columns)
        store(c5, c + 5 * ldc, columns)
        store(c6, c + 6 * ldc, columns)
        store(c7, c + 7 * ldc, columns)
    }

    @inline(__always)
    private static func kernel1(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ depth: Int, _ c: UnsafeMutablePointer<Float>, columns: Int
    ) {
        var c0 = SIMD16<Float>()
        let raw = UnsafeRawPointer(b)
        for i in 0..<depth {
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
