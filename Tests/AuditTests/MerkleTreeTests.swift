import Foundation
import Testing

@testable import Audit

/// The RFC 6962 tree against the Certificate Transparency test vectors (the eight leaves of the CT
/// reference implementation's tests), and the proofs against an independent Python implementation.
@Suite("RFC 6962 Merkle tree")
struct MerkleTreeTests {
    static let inputs: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57], Array(0x60...0x6f),
    ]
    static let leaves = inputs.map(MerkleTree.leafHash)

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    @Test("roots of the first n leaves match the Certificate Transparency vectors", arguments: [
        (1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        (3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
        (4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        (5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
        (6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
        (7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
        (8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ])
    func roots(_ count: Int, _ expected: String) {
        #expect(Self.hex(MerkleTree.root(Array(Self.leaves.prefix(count)))) == expected)
    }

    @Test("the empty tree's root is the hash of nothing")
    func emptyRoot() {
        #expect(Self.hex(MerkleTree.root([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("prefix roots from one pass equal the roots computed prefix by prefix")
    func prefixRoots() {
        let leaves = (0..<37).map { MerkleTree.leafHash([UInt8($0)]) }
        let roots = MerkleTree.prefixRoots(leaves, sizes: Set(0...40))
        for size in 0...37 { #expect(roots[size] == MerkleTree.root(Array(leaves.prefix(size))), "\(size)") }
        #expect(roots[38] == nil && roots[40] == nil)
        #expect(MerkleTree.prefixRoots(Self.leaves, sizes: [8])[8].map(Self.hex) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    }

    @Test("audit paths match the reference implementation")
    func knownPaths() {
        #expect(MerkleTree.inclusionProof(index: 0, leaves: Self.leaves).map(Self.hex) == [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ])
        #expect(MerkleTree.inclusionProof(index: 5, leaves: Array(Self.leaves.prefix(7))).map(Self.hex) == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    }

    @Test("consistency proofs match the reference implementation")
    func knownConsistency() {
        #expect(MerkleTree.consistencyProof(oldSize: 3, leaves: Array(Self.leaves.prefix(7))).map(Self.hex) == [
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e",
        ])
        #expect(MerkleTree.consistencyProof(oldSize: 4, leaves: Self.leaves).map(Self.hex) == [
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
        ])
    }

    @Test("every inclusion proof in trees of 1 to 20 leaves verifies, and fails for another leaf, index or root")
    func inclusionRoundTrip() {
        let leaves = (0..<20).map { MerkleTree.leafHash([UInt8($0)]) }
        for size in 1...20 {
            let tree = Array(leaves.prefix(size))
            let root = MerkleTree.root(tree)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leaves: tree)
                #expect(MerkleTree.verifyInclusion(leaf: tree[index], index: index, size: size, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash([0xfe]), index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leaf: tree[index], index: (index + 1) % size, size: size, proof: proof, root: root))
                }
                #expect(!MerkleTree.verifyInclusion(leaf: tree[index], index: index, size: size, proof: proof, root: MerkleTree.leafHash([0xff])))
            }
        }
    }

    @Test("every consistency proof between trees of up to 20 leaves verifies, and fails against a changed old root")
    func consistencyRoundTrip() {
        let leaves = (0..<20).map { MerkleTree.leafHash([UInt8($0)]) }
        for newSize in 1...20 {
            let tree = Array(leaves.prefix(newSize))
            let newRoot = MerkleTree.root(tree)
            for oldSize in 1...newSize {
                let oldRoot = MerkleTree.root(Array(tree.prefix(oldSize)))
                let proof = MerkleTree.consistencyProof(oldSize: oldSize, leaves: tree)
                #expect(MerkleTree.verifyConsistency(oldSize: oldSize, oldRoot: oldRoot, newSize: newSize, newRoot: newRoot, proof: proof),
                        "\(oldSize) → \(newSize)")
                var changed = tree
                changed[oldSize - 1] = MerkleTree.leafHash([0xee])
                let changedOldRoot = MerkleTree.root(Array(changed.prefix(oldSize)))
                #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, oldRoot: changedOldRoot, newSize: newSize, newRoot: newRoot, proof: proof),
                        "a changed event before \(oldSize) must not look consistent with \(newSize)")
            }
        }
    }
}
