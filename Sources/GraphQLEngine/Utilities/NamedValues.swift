/// Values kept by name for a validation rule (the first of each name, or the last), found by
/// comparing names while there are few (`KeyPositions`): a document's operations, fragments,
/// variables and input fields number a handful, and a `Dictionary` seeded and finalized a SipHash
/// for every look-up.
struct NamedValues<Value> {
    private var names = KeyPositions()
    private var values: [Value] = []

    init() {}

    /// Room for `capacity` names without growing.
    init(minimumCapacity capacity: Int) {
        self.names = KeyPositions(minimumCapacity: capacity)
        self.values.reserveCapacity(capacity)
    }

    /// The value kept under `name`, if any.
    subscript(name: String) -> Value? {
        self.names.position(of: name).map { self.values[$0] }
    }

    /// The value recorded first under `name`; if there is none yet, `value` is recorded and `nil`
    /// returned (a uniqueness rule reports the first and the new one).
    mutating func first(_ name: String, recording value: Value) -> Value? {
        let (position, inserted) = self.names.insert(name)
        if inserted {
            self.values.append(value)
            return nil
        }
        return self.values[position]
    }

    /// Keeps `value` under `name`, replacing an earlier one (the last definition wins).
    mutating func set(_ name: String, _ value: Value) {
        let (position, inserted) = self.names.insert(name)
        if inserted { self.values.append(value) } else { self.values[position] = value }
    }

    /// Forgets every name, keeping the storage.
    mutating func removeAll() {
        self.names.removeAll()
        self.values.removeAll(keepingCapacity: true)
    }
}
