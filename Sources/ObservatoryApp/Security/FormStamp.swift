import Crypto
import Foundation
import ObservatoryCore
import Vapor

/// The hidden fields that keep robots off public forms: a signed stamp of when the form was
/// shown, and a field people never see ("honeypot").
enum FormStamp {
    static let stampField = "form_stamp"
    static let honeypotField = "website"

    static func make(now: Int64, key: SymmetricKey) -> String {
        "\(now).\(signature(now, key: key))"
    }

    /// The moment a genuine stamp was made, or nil for a missing or forged one.
    static func moment(of stamp: String?, key: SymmetricKey) -> Int64? {
        guard let stamp, let dot = stamp.firstIndex(of: "."), let moment = Int64(stamp[..<dot]) else { return nil }
        return SecretToken.equal(String(stamp[stamp.index(after: dot)...]), signature(moment, key: key)) ? moment : nil
    }

    private static func signature(_ moment: Int64, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("form-stamp:\(moment)".utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    /// The hidden spam-protection fields for a public form.
    func formStampFields() async throws -> HTML {
        let key = try await application.secrets.formSigningKey(try sql)
        let context = PageContext(request: self)
        return """
        <input type="hidden" name="\(FormStamp.stampField)" value="\(FormStamp.make(now: application.clock.now(), key: key))">
        <div class="trap" aria-hidden="true">
        <label for="field-\(FormStamp.honeypotField)">\(context("form.honeypot"))</label>
        <input type="text" id="field-\(FormStamp.honeypotField)" name="\(FormStamp.honeypotField)" value="" tabindex="-1" autocomplete="off">
        </div>
        """
    }

    /// Judges the spam-protection fields of a posted public form.
    func judgeFormStamp() async throws -> FormTiming.Verdict {
        let key = try await application.secrets.formSigningKey(try sql)
        let honeypot = try? content.get(String.self, at: FormStamp.honeypotField)
        let moment = FormStamp.moment(of: try? content.get(String.self, at: FormStamp.stampField), key: key)
        return FormTiming.judge(honeypot: honeypot, renderedAt: moment, now: application.clock.now(),
                                minimumSeconds: application.siteSettings.formMinimumSeconds)
    }

    /// What to tell the sender of a public form that looks automated, or nil when it looks human.
    func formStampRefusal() async throws -> String? {
        let context = PageContext(request: self)
        switch try await judgeFormStamp() {
        case .accepted: return nil
        case .honeypotFilled: return context("form.spam.honeypot")
        case .tooFast: return context("form.spam.tooFast")
        case .stale: return context("form.spam.stale")
        }
    }
}
