import ChainTypes

/// Bitcoin Core's context-free package rules (`policy/packages.cpp`).
public enum PackageRules {
    /// Core's `MAX_PACKAGE_COUNT`.
    public static let maxCount = 25
    /// Core's `MAX_PACKAGE_WEIGHT`.
    public static let maxWeight = 404_000

    /// Core's `IsWellFormedPackage`: at most 25 transactions and 404,000 weight units (for more
    /// than one), no duplicate txids, parents before children, no two spending one output.
    /// Returns the first rule broken, with Core's reason.
    public static func wellFormednessError(of package: [Transaction]) -> MempoolRejection? {
        if package.count > maxCount { return MempoolRejection("package-too-many-transactions") }
        if package.count > 1, package.reduce(0, { $0 + $1.weight }) > maxWeight { return MempoolRejection("package-too-large") }
        var later = Set(package.map(\.txid))
        if later.count != package.count { return MempoolRejection("package-contains-duplicates") }
        for transaction in package {
            if transaction.inputs.contains(where: { later.contains($0.previousOutput.txid) }) {
                return MempoolRejection("package-not-sorted")
            }
            later.remove(transaction.txid)
        }
        var spent: Set<OutPoint> = []
        for input in package.lazy.flatMap(\.inputs) where !spent.insert(input.previousOutput).inserted {
            return MempoolRejection("conflict-in-package")
        }
        return nil
    }

    /// Core's `IsChildWithParents`: two or more transactions, every one before the last a
    /// parent of the last.
    public static func isChildWithParents(_ package: [Transaction]) -> Bool {
        guard package.count >= 2, let child = package.last else { return false }
        return Set(package.dropLast().map(\.txid)).isSubset(of: child.inputs.map(\.previousOutput.txid))
    }

    /// Core's `IsChildWithParentsTree`: a child with its parents, no parent spending another.
    public static func isChildWithParentsTree(_ package: [Transaction]) -> Bool {
        guard isChildWithParents(package) else { return false }
        let parents = Set(package.dropLast().map(\.txid))
        return package.dropLast().allSatisfy { parent in !parent.inputs.contains { parents.contains($0.previousOutput.txid) } }
    }
}
