/// The selections of the selection sets a parser has open, innermost last: a set's run is moved
/// to the document's nodes once the set is complete, so that each set's selections are contiguous.
///
/// Held in a buffer on the parse's stack (`Parser.parse` makes it), which most documents never
/// fill, so parsing one allocates nothing for it; past the buffer, all of them move to an array.
struct OpenSelections {
    private let buffer: UnsafeMutableBufferPointer<SelectionNodes.Slot>
    /// Every open selection, once the buffer is full.
    private var overflow: [SelectionNodes.Slot]?
    private(set) var count = 0

    /// Slots in the buffer at most; `buffer` must outlive this value (it is the caller's stack).
    init(buffer: UnsafeMutableBufferPointer<SelectionNodes.Slot>) {
        self.buffer = buffer
    }

    mutating func append(_ slot: SelectionNodes.Slot) {
        if self.overflow == nil && self.count < self.buffer.count {
            self.buffer[self.count] = slot
        } else {
            var all = self.overflow.take() ?? Array(self.buffer[0..<self.count])  // taken: unique while changed
            all.append(slot)
            self.overflow = all
        }
        self.count += 1
    }

    /// Appends the selections from `first` on to `selections` and closes them.
    mutating func move(from first: Int, to selections: inout [SelectionNodes.Slot]) {
        if var all = self.overflow.take() {
            selections.append(contentsOf: all[first...])
            all.removeSubrange(first...)
            self.overflow = all
        } else {
            selections.append(contentsOf: UnsafeBufferPointer(rebasing: self.buffer[first..<self.count]))
        }
        self.count = first
    }
}
