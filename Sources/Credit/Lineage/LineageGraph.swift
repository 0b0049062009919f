import Git

/// The ledger's commit graph as lineage credit reads it (internal): commits numbered densely,
/// their parents and trees read once, and the owner of each commit, that is the position of the
/// earliest submission whose history contains it (position 0 is the starting kit, position
/// `i + 1` the submission at index `i`).
final class LineageGraph {
    /// The commit number given to nothing; also the owner of a commit not yet owned.
    static let none: Int32 = -1

    let repository: Repository
    private var numbers: [ObjectID: Int32] = [:]
    private(set) var ids: [ObjectID] = []
    private var parentNumbers: [[Int32]?] = []
    private var treeIDs: [ObjectID?] = []
    private var owners: [Int32] = []

    init(repository: Repository) {
        self.repository = repository
    }

    /// The dense number of commit `id`, given on first sight.
    func number(of id: ObjectID) -> Int32 {
        if let number = numbers[id] { return number }
        let number = Int32(ids.count)
        numbers[id] = number
        ids.append(id)
        parentNumbers.append(nil)
        treeIDs.append(nil)
        owners.append(Self.none)
        return number
    }

    /// The parents of commit `number`, first parent first.
    /// - Throws: ``GitError`` when the commit cannot be read.
    func parents(of number: Int32) throws -> [Int32] {
        if let parents = parentNumbers[Int(number)] { return parents }
        try load(number)
        return parentNumbers[Int(number)]!
    }

    /// The root tree of commit `number`.
    /// - Throws: ``GitError`` when the commit cannot be read.
    func tree(of number: Int32) throws -> ObjectID {
        if let tree = treeIDs[Int(number)] { return tree }
        try load(number)
        return treeIDs[Int(number)]!
    }

    private func load(_ number: Int32) throws {
        let commit = try repository.commit(ids[Int(number)])
        let parents = commit.parentIDs.map { self.number(of: $0) }
        parentNumbers[Int(number)] = parents
        treeIDs[Int(number)] = commit.treeID
    }

    /// The blob at `path` in commit `number` (whatever its mode, as blame sees it), or nil when
    /// the path holds no blob there.
    /// - Throws: ``GitError`` when a tree cannot be read.
    func blob(atPath path: String, in number: Int32) throws -> ObjectID? {
        guard let entry = try repository.entry(atPath: path, inTree: try tree(of: number)), entry.kind == .blob else { return nil }
        return entry.id
    }

    /// The owner position of commit `number`, or ``none`` when no submission given to
    /// ``assignOwner(_:from:)`` contains it.
    func owner(of number: Int32) -> Int32 {
        owners[Int(number)]
    }

    /// Gives every commit in the history of `tip` (itself included) that has no owner yet to
    /// `position`. Called in recording order, this makes each commit's owner the earliest
    /// submission containing it: the owned commits stay closed under "parent of", so the walk
    /// stops at the first owned commit of each branch and every commit is visited once over
    /// all calls.
    /// - Returns: the commits given to `position`, for ``releaseOwnership(of:)``, and the
    ///   owners of the commits where the walk stopped (the earlier submissions it builds on
    ///   directly; the tip's own owner when it was owned already).
    /// - Throws: ``GitError`` when a commit cannot be read (no owner is changed then).
    @discardableResult
    func assignOwner(_ position: Int32, from tip: Int32) throws -> (owned: [Int32], boundaries: Set<Int32>) {
        var owned: [Int32] = []
        var boundaries: Set<Int32> = []
        var stack = [tip]
        do {
            while let number = stack.popLast() {
                guard owners[Int(number)] == Self.none else {
                    boundaries.insert(owners[Int(number)])
                    continue
                }
                owners[Int(number)] = position
                owned.append(number)
                for parent in try parents(of: number) {
                    if owners[Int(parent)] == Self.none { stack.append(parent) } else { boundaries.insert(owners[Int(parent)]) }
                }
            }
        } catch {
            releaseOwnership(of: owned)
            throw error
        }
        return (owned, boundaries)
    }

    /// Makes `commits` unowned again (undoing ``assignOwner(_:from:)`` for a submission that
    /// could not be credited).
    func releaseOwnership(of commits: [Int32]) {
        for number in commits { owners[Int(number)] = Self.none }
    }
}
