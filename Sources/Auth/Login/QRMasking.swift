/// The eight data mask patterns and the penalty rules used to pick one (ISO/IEC 18004 §7.8).
enum QRMasking {
    static let patterns = 0..<8

    /// Whether mask `mask` inverts the module at column `x`, row `y` (Table 10, i = y, j = x).
    static func inverts(mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// Penalty points N1 + N2 + N3 + N4 (§7.8.3.1, Table 11); lower is easier to scan.
    static func penalty(_ matrix: QRMatrix) -> Int {
        let size = matrix.size
        var score = 0
        var dark = 0
        for a in 0..<size {
            let row = (0..<size).map { matrix[$0, a] }
            let column = (0..<size).map { matrix[a, $0] }
            dark += row.count(where: { $0 })
            score += runPenalty(row) + runPenalty(column)
            score += finderLikePenalty(row) + finderLikePenalty(column)
        }
        // N2: every 2×2 block of one colour scores 3, which equals 3·(m−1)·(n−1) summed over blocks.
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = matrix[x, y]
                if colour == matrix[x + 1, y] && colour == matrix[x, y + 1] && colour == matrix[x + 1, y + 1] {
                    score += 3
                }
            }
        }
        // N4: 10 points for each full 5 % step the dark share strays from 50 %.
        let total = size * size
        score += 10 * (abs(dark * 100 - total * 50) / (total * 5))
        return score
    }

    /// N1: a run of 5 + i same-coloured modules scores 3 + i.
    private static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var run = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                run += 1
            } else {
                if run >= 5 { score += run - 2 }
                run = 1
            }
        }
        if run >= 5 { score += run - 2 }
        return score
    }

    /// N3: dark–light–dark×3–light–dark (1:1:3:1:1) with four light modules on either side
    /// scores 40; outside the symbol counts as light because the quiet zone is light.
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let pattern: [Bool] = [true, false, true, true, true, false, true]
        var score = 0
        var start = 0
        while start + 7 <= line.count {
            guard Array(line[start..<start + 7]) == pattern else {
                start += 1
                continue
            }
            let before = line[max(0, start - 4)..<start].allSatisfy { !$0 }
            let after = line[(start + 7)..<min(line.count, start + 11)].allSatisfy { !$0 }
            if before || after {
                score += 40
                start += 7
            } else {
                // A later match can overlap this one from its fifth module on.
                start += 4
            }
        }
        return score
    }
}
