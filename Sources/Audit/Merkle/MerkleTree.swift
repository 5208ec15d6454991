import Crypto

/// The Merkle tree of RFC 6962 (Certificate Transparency) §2.1, over the audit events in sequence order.
///
/// A leaf is hashed as `SHA-256(0x00 ‖ data)` and an inner node as `SHA-256(0x01 ‖ left ‖ right)`, so a
/// leaf can never pass for a node. The tree of `n` leaves splits at the largest power of two below `n`.
/// Its root commits to every event up to `n`; an inclusion proof shows one event is in it, and a
/// consistency proof shows a larger tree extends a smaller one without changing it: an auditor who
/// kept an old signed root can check that nothing before it was altered, removed or reordered.
///
/// ```swift
/// let leaves = events.map { MerkleTree.leafHash(CanonicalEncoding.bytes(sequence: $0.sequence, event: $0.event)) }
/// let root = MerkleTree.root(leaves)
/// let proof = MerkleTree.inclusionProof(index: 4, leaves: leaves)
/// MerkleTree.verifyInclusion(leaf: leaves[4], index: 4, size: leaves.count, proof: proof, root: root)   // true
/// ```
public enum MerkleTree {
    public static func leafHash(_ data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root of the empty tree: the hash of nothing.
    public static var emptyRoot: [UInt8] { Array(SHA256.hash(data: [UInt8]())) }

    /// MTH(D[n]) over leaf hashes.
    public static func root(_ leaves: [[UInt8]]) -> [UInt8] {
        leaves.isEmpty ? emptyRoot : root(leaves[...])
    }

    private static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return leaves[leaves.startIndex] }
        let split = leaves.startIndex + largestPowerOfTwo(below: leaves.count)
        return nodeHash(root(leaves[..<split]), root(leaves[split...]))
    }

    /// The roots of several prefixes of `leaves` (MTH(D[n]) for each n in `sizes`) in one pass: a
    /// frontier of perfect subtrees is kept while the leaves go by, so each root costs O(log n)
    /// instead of rehashing the prefix. Sizes beyond the leaves are left out.
    public static func prefixRoots(_ leaves: [[UInt8]], sizes: Set<Int>) -> [Int: [UInt8]] {
        var roots: [Int: [UInt8]] = [:]
        if sizes.contains(0) { roots[0] = emptyRoot }
        var frontier = Frontier()
        for (index, leaf) in leaves.enumerated() {
            frontier.append(leaf)
            if sizes.contains(index + 1) { roots[index + 1] = frontier.root }
        }
        return roots
    }

    /// The perfect subtrees covering the leaves so far, largest (leftmost) first. The RFC 6962 tree
    /// of n leaves is exactly these subtrees joined from the right.
    /// It takes O(log n) memory however many leaves go by, which is what lets a checkpoint go on
    /// from the previous one instead of reading the whole log again.
    struct Frontier: Sendable {
        private var subtrees: [(height: Int, hash: [UInt8])] = []
        /// The leaves appended so far.
        private(set) var count = 0

        mutating func append(_ leaf: [UInt8]) {
            count += 1
            var node = (height: 0, hash: leaf)
            while let last = subtrees.last, last.height == node.height {
                subtrees.removeLast()
                node = (height: node.height + 1, hash: MerkleTree.nodeHash(last.hash, node.hash))
            }
            subtrees.append(node)
        }

        var root: [UInt8] {
            guard var hash = subtrees.last?.hash else { return MerkleTree.emptyRoot }
            for subtree in subtrees.dropLast().reversed() { hash = MerkleTree.nodeHash(subtree.hash, hash) }
            return hash
        }
    }

    /// PATH(m, D[n]): the sibling hashes from leaf `index` up to the root, nearest first.
    public static func inclusionProof(index: Int, leaves: [[UInt8]]) -> [[UInt8]] {
        precondition(index >= 0 && index < leaves.count, "the leaf must be in the tree")
        return path(index, leaves[...])
    }

    private static func path(_ index: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let k = largestPowerOfTwo(below: leaves.count)
        let split = leaves.startIndex + k
        if index < k { return path(index, leaves[..<split]) + [root(leaves[split...])] }
        return path(index - k, leaves[split...]) + [root(leaves[..<split])]
    }

    /// PROOF(m, D[n]): what shows that the tree of the first `oldSize` leaves is a prefix of this one.
    public static func consistencyProof(oldSize: Int, leaves: [[UInt8]]) -> [[UInt8]] {
        precondition(oldSize >= 0 && oldSize <= leaves.count, "the old tree cannot be larger")
        guard oldSize > 0, oldSize < leaves.count else { return [] }
        return subproof(oldSize, leaves[...], complete: true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, complete: Bool) -> [[UInt8]] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = largestPowerOfTwo(below: n)
        let split = leaves.startIndex + k
        if m <= k { return subproof(m, leaves[..<split], complete: complete) + [root(leaves[split...])] }
        return subproof(m - k, leaves[split...], complete: false) + [root(leaves[..<split])]
    }

    /// Checks an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leaf: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var hash = leaf
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    /// Checks a consistency proof between two roots (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: Int, oldRoot: [UInt8], newSize: Int, newRoot: [UInt8], proof: [[UInt8]]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        guard !proof.isEmpty else { return false }
        var path = proof[...]
        // When the old tree is a complete subtree, its root is the first node of the path.
        if oldSize & (oldSize - 1) == 0 { path = [oldRoot] + path }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        guard let first = path.first else { return false }
        var fr = first
        var sr = first
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
