import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy

/// `PolicyLoader.lastPathComponent` names a file in "the top level of NAME" without bridging to NSString. This pins it
/// against `NSString.lastPathComponent` on chosen paths and 20,000 random ones (slashes, dots, tildes, spaces and
/// non-ASCII letters, repeated slashes). Paths ending with `/` still go through NSString, so the random ones do not end
/// so. swift-corelibs-foundation traps in `_stringByFixingSlashes` on some paths (`./b//`, and non-ASCII ones with
/// repeated slashes such as ` //é`); the new function does not trap on the latter, so they are left out here.
@Suite struct LastPathComponentTests {
    @Test func agreesWithNSString() {
        var paths = [
            "", "/", "//", "a", "a.yaml", "/a.yaml", "dir/a.yaml", "dir//a.yaml", "dir/", "dir//", "a//b", " /", "a/ /", "./a.yaml", "../a.yaml", "~/a.yaml", "~",
            "policies/acme/contacts.yaml", "/work/lintorgs/org-001/policies.yaml", "é/ü.yml", "dir/é.yaml", "a b/c d.yaml", ".", "..", "a/.", "a/..",
        ]
        let alphabet = Array("ab/./~ é")
        var rng = SplitMix64(seed: 9)
        for _ in 0..<20_000 {
            let path = String((0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if !path.hasSuffix("/"), path.utf8.allSatisfy({ $0 < 0x80 }) || !path.contains("//") { paths.append(path) }
        }
        for path in paths {
            #expect(PolicyLoader.lastPathComponent(path) == (path as NSString).lastPathComponent, "\(path.debugDescription)")
        }
    }
}
