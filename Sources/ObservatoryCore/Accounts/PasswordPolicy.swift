import Foundation

/// Password rules after current guidance (NIST SP 800-63B): long enough, not a known or
/// guessable password, any characters allowed, no composition rules and no forced expiry.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 1_024

    public enum Problem: String, Sendable, Equatable {
        case tooShort
        case tooLong
        case common
        case personal

        public var messageKey: String { "password.problem.\(rawValue)" }
    }

    /// The form a password is hashed in: Unicode compatibility-normalised (NFKC), so the
    /// same password typed on two keyboards matches.
    public static func normalized(_ password: String) -> String {
        password.precomposedStringWithCompatibilityMapping
    }

    /// The first problem with `password`, or nil when it may be used. `personal` lists the
    /// account's own words (address, name) that must not make up the password.
    public static func problem(with password: String, personal: [String] = []) -> Problem? {
        let password = normalized(password)
        if password.count < minimumLength { return .tooShort }
        if password.count > maximumLength { return .tooLong }
        let folded = password.lowercased()
        if CommonPasswords.list.contains(folded) || isGuessablePattern(folded) { return .common }
        let core = letters(of: folded)
        for word in personal {
            let candidates = [word] + (word.split(separator: "@").first.map { [String($0)] } ?? [])
            for candidate in candidates {
                let personalCore = letters(of: candidate.lowercased())
                if personalCore.count >= 4, core == personalCore || core == personalCore + personalCore { return .personal }
            }
            if folded == word.lowercased() { return .personal }
        }
        return nil
    }

    private static func letters(of text: String) -> String {
        String(text.filter { $0.isLetter })
    }

    /// Passwords that guessing tools try first: one character or a short run repeated, a
    /// run along the alphabet, the digits or a keyboard row, or a common word padded with
    /// digits and symbols.
    static func isGuessablePattern(_ password: String) -> Bool {
        let characters = Array(password)
        for period in 1...4 where characters.count >= period * 2 {
            if characters.indices.allSatisfy({ characters[$0] == characters[$0 % period] }) { return true }
        }
        let sequences = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
                         "qwertzuiopasdfghjklyxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn", "1q2w3e4r5t6y7u8i9o0p", "qazwsxedcrfvtgbyhnujm"]
        for sequence in sequences {
            let forward = sequence + sequence
            let backward = String(forward.reversed())
            if forward.contains(password) || backward.contains(password) { return true }
        }
        // A common word with only digits, symbols or repeats around it.
        let core = letters(of: password)
        if core.isEmpty { return isMostlyOneRun(characters) }
        return CommonPasswords.words.contains { word in
            core.count % word.count == 0 && String(repeating: word, count: core.count / word.count) == core
        }
    }

    /// Digits only, made of an ascending or descending run (e.g. 123456789012 or 987654321098).
    private static func isMostlyOneRun(_ characters: [Character]) -> Bool {
        let digits = characters.compactMap(\.wholeNumberValue)
        guard digits.count == characters.count, digits.count > 1 else { return false }
        let steps = zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 }
        return Set(steps).count == 1
    }
}
