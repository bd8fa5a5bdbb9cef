/// Passwords and password stems that guessing tools try first. A password is refused when
/// it is one of `list` or is one of `words` padded only with digits and symbols.
enum CommonPasswords {
    static let words: Set<String> = [
        "access", "admin", "administrator", "amazon", "andrew", "angel", "apple", "arsenal", "autumn", "azerty",
        "barcelona", "baseball", "batman", "buster", "butterfly", "changeme", "charlie", "chelsea", "chocolate",
        "computer", "contrasena", "contraseña", "cookie", "corvette", "daniel", "default", "dragon", "facebook",
        "ferrari", "flower", "football", "forever", "freedom", "ginger", "google", "government", "guest",
        "harley", "hello", "hunter", "iloveyou", "innovation", "instagram", "internet", "jennifer", "jordan",
        "killer", "letmein", "letmeinplease", "linkedin", "liverpool", "login", "lovely", "madrid", "master",
        "michael", "microsoft", "minecraft", "monkey", "motdepasse", "mustang", "netflix", "observatory",
        "oecd", "opsi", "passw0rd", "password", "passwort", "pepper", "pokemon", "princess", "private",
        "public", "qwerty", "qwertz", "ranger", "root", "samsung", "secret", "shadow", "soccer", "spotify",
        "spring", "starwars", "summer", "sunshine", "superman", "test", "tester", "testing", "thomas",
        "trustno", "twitter", "user", "welcome", "welcomeback", "whatever", "winter", "youtube"
    ]

    static let list: Set<String> = [
        "000000000000", "111111111111", "112233445566", "121212121212", "123123123123", "123321123321",
        "123456789012", "1234567890123", "12345678901234", "1234567890qwerty", "123456789123", "1234qwerasdf",
        "147258369147", "159753159753", "1password1234", "1q2w3e4r5t6y", "1qaz2wsx3edc", "987654321987",
        "abc123456789", "abcd12345678", "abcdefghijkl", "admin1234567", "administrator", "asdfasdfasdf",
        "asdfghjkl123", "autumn2025!!", "baseball1234", "changeme1234", "changemenow!",
        "correcthorsebatterystaple", "dragon123456", "football1234", "ilovemyfamily", "iloveyou1234",
        "iloveyouforever", "jennifer1234", "letmein12345", "letmeinnow123", "master123456", "michael12345",
        "monkey123456", "mypassword123", "mypassword1234", "p@ssw0rd1234", "p@ssword1234", "pa55word1234",
        "passw0rd1234", "password!2345", "password1234", "password12345", "password123456", "password2025",
        "password2026", "passwordpassword", "princess1234", "q1w2e3r4t5y6", "qweasdzxc123", "qwerty123456",
        "qwerty12345678", "qwerty2026!!", "qwertyuiop123", "qwertyuiopasdf", "secretpassword", "shadow123456",
        "spring2025!!", "starwars1234", "summer2024!!", "sunshine1234", "superman1234", "thisismypassword",
        "trustno1trustno1", "welcome12345", "welcome123456", "welcome2025!", "winter2024!!", "zaq12wsxcde3"
    ]
}
