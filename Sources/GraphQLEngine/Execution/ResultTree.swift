/// The response being built: a flat arena of nodes, one per response position.
///
/// Objects and lists own a contiguous run of child nodes, so building a result allocates no
/// per-field dictionaries; paths are recovered from parent links only when an error needs one,
/// and null propagation walks the links upward (https://spec.graphql.org/October2021/#sec-Handling-Field-Errors).
struct ResultTree {
    enum Kind: UInt8 {
        case pending, null, leaf, object, list
    }

    /// A plain value (20 bytes, no reference counted field): nodes are appended, grown and freed as
    /// bytes, without a copy or destroy witness per node. A leaf's value is in `leaves`.
    struct Node {
        var kind: Kind = .pending
        /// Whether this position's type is non-null (a null here propagates to the parent).
        var isNonNull: Bool
        var parent: Int32
        /// Objects and lists: the first child's index; leaves: their value's index in `leaves`.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
        /// For objects: the index of their `ObjectPlan`, whose keys name the children.
        var plan: Int32 = -1
    }

    var nodes: [Node] = []
    /// The leaves' values, by their nodes' `childStart`.
    var leaves: [Value] = []

    /// The most positions (and leaves) a tree reserves room for ahead; a larger result grows.
    static let largestReservation = 65_536

    /// A tree with room for `expectedNodes` positions and `expectedLeaves` leaves (the execution
    /// sizes them from the plan's last run: no growing, and copying, as a result of that size is
    /// built; and no more, so a small result's arrays stay in the allocator's small sizes).
    init(expectedNodes: Int, expectedLeaves: Int) {
        self.nodes.reserveCapacity(min(max(expectedNodes, 1), Self.largestReservation))
        self.leaves.reserveCapacity(min(expectedLeaves, Self.largestReservation))
        self.nodes.append(Node(isNonNull: false, parent: -1))
    }

    /// Makes the node a leaf holding `value`.
    @inline(__always)
    mutating func setLeaf(_ index: Int, _ value: Value) {
        Self.setLeaf(&self.nodes[index], value, in: &self.leaves)
    }

    @inline(__always)
    static func setLeaf(_ node: inout Node, _ value: Value, in leaves: inout [Value]) {
        node.kind = .leaf
        node.childStart = Int32(truncatingIfNeeded: leaves.count)
        leaves.append(value)
    }

    /// The nodes through a pointer and the leaves, for writing a run of leaves in one access.
    @inline(__always)
    mutating func withNodesAndLeaves<Result>(_ body: (UnsafeMutableBufferPointer<Node>, inout [Value]) -> Result) -> Result {
        self.nodes.withUnsafeMutableBufferPointer { nodes in body(nodes, &self.leaves) }
    }

    /// A leaf node's value.
    func leaf(of node: Node) -> Value { self.leaves[Int(node.childStart)] }

    /// Appends `count` pending children of `parent`; returns the first one's index.
    @inline(__always)
    mutating func allocateChildren(of parent: Int, count: Int, nonNull: Bool) -> Int {
        let start = self.nodes.count
        // One uniqueness check and reservation for the run, not one per child.
        self.nodes.append(contentsOf: repeatElement(Node(isNonNull: nonNull, parent: Int32(parent)), count: count))
        return start
    }

    /// How many objects and lists have been nulled (none: no position is detached).
    private(set) var nulledCount = 0

    @inline(__always)
    mutating func setNull(_ index: Int) {
        self.nodes[index].kind = .null
        self.nodes[index].childCount = 0
        self.nulledCount += 1
    }

    /// Whether the node or one of its ancestors has been nulled (its work is moot). Positions are
    /// nulled through `setNull` but for leaves, which are never ancestors nor resumed: while
    /// nothing was, no walk up the tree.
    func isDetached(_ index: Int) -> Bool {
        if self.nulledCount == 0 { return false }
        var current = index
        while current >= 0 {
            if self.nodes[current].kind == .null { return true }
            current = Int(self.nodes[current].parent)
        }
        return false
    }

    /// Nulls the nearest nullable ancestor of a failed non-null position. Returns `false` when
    /// the failure reached the root (the whole `data` is null).
    mutating func propagateNull(from index: Int) -> Bool {
        var current = index
        while true {
            let parent = Int(self.nodes[current].parent)
            if parent < 0 { return false }
            if !self.nodes[parent].isNonNull || parent == 0 {
                if parent == 0 { return false }
                self.setNull(parent)
                return true
            }
            current = parent
        }
    }

    /// The response path of a node.
    func path(of index: Int, plans: [ObjectPlan]) -> [PathComponent] {
        var components: [PathComponent] = []
        var current = index
        while true {
            let parent = Int(self.nodes[current].parent)
            if parent < 0 { break }
            let node = self.nodes[parent]
            let offset = current - Int(node.childStart)
            if node.kind == .list {
                components.append(.index(offset))
            } else {
                components.append(.key(plans[Int(node.plan)].keys[offset]))
            }
            current = parent
        }
        return components.reversed()
    }

    /// Writes the node as JSON, keys in the order of the query.
    func write(_ index: Int, plans: [ObjectPlan], to writer: inout JSONWriter) {
        // Each plan's key bytes and ends by pointer (the plans, which own them, outlive the walk).
        let tables = plans.map { KeyTable(bytes: UnsafePointer($0.encodedKeys.bytes), ends: UnsafePointer($0.encodedKeys.ends)) }
        withExtendedLifetime(plans) {
            self.nodes.withUnsafeBufferPointer { nodes in
                precondition(index >= 0 && index < nodes.count, "result node out of range")
                guard let base = nodes.baseAddress else { return }
                self.leaves.withUnsafeBufferPointer { leaves in
                    tables.withUnsafeBufferPointer { tables in Self.write(base + index, Tree(nodes: base, leaves: leaves, keys: tables), &writer) }
                }
            }
        }
    }

    /// A plan's encoded keys, by pointer.
    private struct KeyTable {
        let bytes: UnsafePointer<UInt8>
        let ends: UnsafePointer<Int>
    }

    /// What the serializer reads, by pointer.
    private struct Tree {
        let nodes: UnsafePointer<Node>
        let leaves: UnsafeBufferPointer<Value>
        let keys: UnsafeBufferPointer<KeyTable>
    }

    /// The serializer proper: reads each node's fields and leaf value through pointers (a value
    /// is not copied, so it is not retained and released to be written).
    private static func write(_ node: UnsafePointer<Node>, _ tree: Tree, _ writer: inout JSONWriter) {
        switch node.pointee.kind {
        case .null, .pending: writer.raw("null")
        case .leaf:
            let leaf = tree.leaves.baseAddress.unsafelyUnwrapped + Int(node.pointee.childStart)
            switch leaf.pointee {
            case .string(let string): writer.string(string)
            case .int(let int): writer.int(int)
            case .bool(let bool): writer.bool(bool)
            default: writer.value(leaf.pointee)
            }
        case .list:
            writer.byte(0x5B)
            let start = Int(node.pointee.childStart)
            let end = start + Int(node.pointee.childCount)
            var child = start
            while child < end {
                if child > start { writer.byte(0x2C) }
                Self.write(tree.nodes + child, tree, &writer)
                child += 1
            }
            writer.byte(0x5D)
        case .object:
            writer.byte(0x7B)
            let start = Int(node.pointee.childStart)
            let count = Int(node.pointee.childCount)
            let table = tree.keys[Int(node.pointee.plan)]
            // Each key comes with the comma before it: the first one is written from after its comma.
            var keyStart = 1
            for offset in 0..<count {
                let keyEnd = table.ends[offset]
                writer.append(UnsafeBufferPointer(start: table.bytes + keyStart, count: keyEnd - keyStart))
                keyStart = keyEnd
                Self.write(tree.nodes + start + offset, tree, &writer)
            }
            writer.byte(0x7D)
        }
    }

    /// The node as a `Value` (objects as dictionaries), for hosts and tests.
    func value(_ index: Int, plans: [ObjectPlan]) -> Value {
        let node = self.nodes[index]
        switch node.kind {
        case .null, .pending: return .null
        case .leaf: return self.leaf(of: node)
        case .list:
            let start = Int(node.childStart)
            return .list((start..<(start + Int(node.childCount))).map { self.value($0, plans: plans) })
        case .object:
            let keys = plans[Int(node.plan)].keys
            var object: [String: Value] = [:]
            for offset in 0..<Int(node.childCount) {
                object[keys[offset]] = self.value(Int(node.childStart) + offset, plans: plans)
            }
            return .object(object)
        }
    }
}
