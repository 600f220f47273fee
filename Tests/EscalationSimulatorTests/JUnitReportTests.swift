import EscalationCore
import EscalationSimulator
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The JUnit XML of `escalate test --junit`: its shape, classnames and times.
@Suite("JUnit report")
struct JUnitReportTests {
    static let results: [PolicyTestRunner.Result] = [
        PolicyTestRunner.Result(
            file: "policies/focus-it/tests/urgent-need.yaml", name: "the <first> & \"only\" call", location: SourceLocation(file: "f", line: 3, column: 5),
            failures: [], seconds: 0.25),
        PolicyTestRunner.Result(
            file: "policies/focus-it/tests/urgent-need.yaml", name: "second", location: SourceLocation(file: "f", line: 20, column: 5),
            failures: ["f:22:7: status: expected open, got resolved", "more\nlines"], seconds: 1.5),
        PolicyTestRunner.Result(
            file: "policies/hubbard-swim/tests/icp-outage.yaml", name: "third", location: SourceLocation(file: "g", line: 9, column: 5),
            failures: [], seconds: nil),
    ]

    @Test("classname is ORG.FILE_STEM, not a path")
    func className() {
        #expect(JUnitReport.className(of: "policies/focus-it/tests/urgent-need.yaml") == "focus-it.urgent-need")
        #expect(JUnitReport.className(of: "/abs/policies/hubbard-swim/tests/icp-outage.yaml") == "hubbard-swim.icp-outage")
        #expect(JUnitReport.className(of: "elsewhere/cases.yaml") == "elsewhere.cases")
        #expect(!JUnitReport.className(of: "policies/focus-it/tests/urgent-need.yaml").contains("/"))
    }

    @Test("the XML parses: suites and cases carry tests, failures, time and a classname")
    func shape() throws {
        let xml = JUnitReport.xml(Self.results)
        #if canImport(FoundationXML) || os(macOS)
            let document = try XMLDocument(xmlString: xml, options: [])
            let root = try #require(document.rootElement())
            #expect(root.name == "testsuites")
            #expect(root.attribute(forName: "tests")?.stringValue == "3")
            #expect(root.attribute(forName: "failures")?.stringValue == "1")
            #expect(root.attribute(forName: "time")?.stringValue == "1.750")
            let suites = root.elements(forName: "testsuite")
            #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ["focus-it.urgent-need", "hubbard-swim.icp-outage"])
            #expect(suites.map { $0.attribute(forName: "tests")?.stringValue } == ["2", "1"])
            #expect(suites.map { $0.attribute(forName: "failures")?.stringValue } == ["1", "0"])
            #expect(suites.map { $0.attribute(forName: "time")?.stringValue } == ["1.750", "0.000"])
            let cases = suites.flatMap { $0.elements(forName: "testcase") }
            #expect(cases.count == 3)
            #expect(cases.map { $0.attribute(forName: "classname")?.stringValue } == ["focus-it.urgent-need", "focus-it.urgent-need", "hubbard-swim.icp-outage"])
            #expect(cases.map { $0.attribute(forName: "time")?.stringValue } == ["0.250", "1.500", "0.000"])
            #expect(cases.first?.attribute(forName: "name")?.stringValue == "the <first> & \"only\" call")
            #expect(cases.first?.attribute(forName: "file")?.stringValue == "policies/focus-it/tests/urgent-need.yaml")
            let failure = try #require(cases[1].elements(forName: "failure").first)
            #expect(failure.attribute(forName: "message")?.stringValue == "f:22:7: status: expected open, got resolved")
            #expect(failure.stringValue == "f:22:7: status: expected open, got resolved\nmore\nlines")
            #expect(cases[0].elements(forName: "failure").isEmpty)
        #else
            #expect(xml.contains("<testcase classname=\"focus-it.urgent-need\" name=\"the &lt;first&gt; &amp; &quot;only&quot; call\" time=\"0.250\""))
            #expect(xml.contains("<testsuite name=\"focus-it.urgent-need\" tests=\"2\" failures=\"1\""))
        #endif
    }

    @Test("control characters in a failure do not make the XML invalid")
    func controlCharacters() throws {
        let result = PolicyTestRunner.Result(file: "o/tests/a.yaml", name: "bell\u{7}", location: SourceLocation(file: "a", line: 1, column: 1), failures: ["x\u{1B}[31m"])
        let xml = JUnitReport.xml([result])
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #if canImport(FoundationXML) || os(macOS)
            _ = try XMLDocument(xmlString: xml, options: [])
        #endif
    }
}
