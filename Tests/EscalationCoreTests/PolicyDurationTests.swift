import EscalationCore
import Testing

@Suite("Durations and calendar values")
struct PolicyDurationTests {
    @Test("wall durations parse to seconds", arguments: [
        ("30s", 30), ("15m", 900), ("2h", 7_200), ("1h30m", 5_400), ("1d", 86_400), ("1w", 604_800), ("1w2d3h4m5s", 788_645),
    ])
    func wall(text: String, seconds: Int) throws {
        let duration = try PolicyDuration.parse(text).get()
        #expect(duration.seconds == seconds)
        #expect(!duration.isBusiness)
        #expect(duration.description == text)
    }

    @Test("business durations keep days and open seconds apart")
    func business() throws {
        let day = try PolicyDuration.parse("1 business day").get()
        #expect(day.isBusiness && day.businessDays == 1 && day.seconds == 0)
        #expect(day.description == "1 business day")
        let hours = try PolicyDuration.parse("4 business hours").get()
        #expect(hours.isBusiness && hours.businessDays == 0 && hours.seconds == 14_400)
        #expect(try PolicyDuration.parse("30 business minutes").get().seconds == 1_800)
    }

    @Test("bad durations say what is wrong", arguments: [
        ("15", "no unit"), ("15x", "unknown unit"), ("30m1h", "largest first"), ("m", "number must come before"),
        ("", "empty"), ("15 minutes", "write 15m"), ("10min", "unknown unit 'min'; write 10m"), ("1 hour 30 minutes", "write a duration like"), ("2 business weeks", "unknown business unit"),
    ])
    func bad(text: String, fragment: String) {
        switch PolicyDuration.parse(text) {
        case .success(let value): Issue.record("'\(text)' parsed as \(value)")
        case .failure(let error): #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test("times of day, dates and instants")
    func calendarValues() throws {
        #expect(TimeOfDay.parse("09:30")?.minutes == 570)
        #expect(TimeOfDay.parse("24:00")?.minutes == 1_440)
        #expect(TimeOfDay.parse("24:01") == nil)
        #expect(TimeOfDay.parse("9:30") == nil)
        #expect(LocalDate.parse("2028-02-29") != nil)
        #expect(LocalDate.parse("2026-02-29") == nil)
        #expect(LocalDate.parse("2026-13-01") == nil)
        let instant = try #require(LocalDateTime.parse("2026-03-08T09:00-06:00"))
        #expect(instant.utcOffsetSeconds == -21_600)
        #expect(instant.description == "2026-03-08T09:00-06:00")
        #expect(LocalDateTime.parse("2026-03-08T09:00")?.utcOffsetSeconds == nil)
        #expect(LocalDateTime.parse("2026-03-08T09:00Z")?.utcOffsetSeconds == 0)
        #expect(LocalDateTime.parse("2026-03-08") == nil)
    }

    @Test("did-you-mean picks the closest candidate within reach")
    func suggestions() {
        #expect("notfy".closest(in: ["notify", "name", "note"]) == "notify")
        #expect("zzzzzz".closest(in: ["notify", "name"]) == nil)
        #expect("America/Chicagoo".didYouMean(["America/Chicago"]) == " (did you mean 'America/Chicago'?)")
    }
}
