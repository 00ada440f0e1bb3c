import Testing

@testable import Gateway

@Suite("Cache durations in milliseconds")
struct DurationMillisecondsTests {
    @Test("whole milliseconds, saturating instead of trapping on durations past Int64's range")
    func saturates() {
        #expect(Duration.seconds(300).milliseconds == 300_000)
        #expect(Duration.milliseconds(1_500).milliseconds == 1_500)
        #expect(Duration.seconds(Int64.max).milliseconds == Int64.max)
        #expect(Duration.seconds(Int64.min).milliseconds == Int64.min)
    }
}
