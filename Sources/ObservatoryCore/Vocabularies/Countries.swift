/// A country that content can be classified by, with the facts a countries table or a map
/// needs: ISO 3166-1 alpha-2 code, capital, the capital's coordinates (rounded to 0.01°) and
/// the IANA time zone of the capital.
public struct Country: Sendable, Hashable {
    /// The English name, as used in the import format and the `country` vocabulary.
    public let name: String
    /// The name as a URL segment (`viet-nam`).
    public let slug: String
    /// ISO 3166-1 alpha-2 code, upper case (`VN`).
    public let alpha2: String
    public let capital: String
    public let latitude: Double
    public let longitude: Double
    /// IANA time-zone identifier of the capital (`Asia/Ho_Chi_Minh`).
    public let timeZone: String

    public init(
        name: String, slug: String? = nil, alpha2: String, capital: String,
        latitude: Double, longitude: Double, timeZone: String
    ) {
        self.name = name
        self.slug = slug ?? Countries.slug(for: name)
        self.alpha2 = alpha2
        self.capital = capital
        self.latitude = latitude
        self.longitude = longitude
        self.timeZone = timeZone
    }
}

/// The 60 countries of the observatory's data set, in the data set's order (most frequent
/// first), with constant-time look-ups by name and by code.
public enum Countries {
    public static let all: [Country] = [
        Country(name: "Kenya", alpha2: "KE", capital: "Nairobi", latitude: -1.29, longitude: 36.82, timeZone: "Africa/Nairobi"),
        Country(name: "Canada", alpha2: "CA", capital: "Ottawa", latitude: 45.42, longitude: -75.70, timeZone: "America/Toronto"),
        Country(name: "France", alpha2: "FR", capital: "Paris", latitude: 48.86, longitude: 2.35, timeZone: "Europe/Paris"),
        Country(name: "Germany", alpha2: "DE", capital: "Berlin", latitude: 52.52, longitude: 13.40, timeZone: "Europe/Berlin"),
        Country(name: "Brazil", alpha2: "BR", capital: "Brasília", latitude: -15.79, longitude: -47.88, timeZone: "America/Sao_Paulo"),
        Country(name: "India", alpha2: "IN", capital: "New Delhi", latitude: 28.61, longitude: 77.21, timeZone: "Asia/Kolkata"),
        Country(name: "Indonesia", alpha2: "ID", capital: "Jakarta", latitude: -6.21, longitude: 106.85, timeZone: "Asia/Jakarta"),
        Country(name: "Chile", alpha2: "CL", capital: "Santiago", latitude: -33.45, longitude: -70.67, timeZone: "America/Santiago"),
        Country(name: "Colombia", alpha2: "CO", capital: "Bogotá", latitude: 4.71, longitude: -74.07, timeZone: "America/Bogota"),
        Country(name: "Mexico", alpha2: "MX", capital: "Mexico City", latitude: 19.43, longitude: -99.13, timeZone: "America/Mexico_City"),
        Country(name: "Denmark", alpha2: "DK", capital: "Copenhagen", latitude: 55.68, longitude: 12.57, timeZone: "Europe/Copenhagen"),
        Country(name: "Finland", alpha2: "FI", capital: "Helsinki", latitude: 60.17, longitude: 24.94, timeZone: "Europe/Helsinki"),
        Country(name: "Estonia", alpha2: "EE", capital: "Tallinn", latitude: 59.44, longitude: 24.75, timeZone: "Europe/Tallinn"),
        Country(name: "Portugal", alpha2: "PT", capital: "Lisbon", latitude: 38.72, longitude: -9.14, timeZone: "Europe/Lisbon"),
        Country(name: "Spain", alpha2: "ES", capital: "Madrid", latitude: 40.42, longitude: -3.70, timeZone: "Europe/Madrid"),
        Country(name: "Italy", alpha2: "IT", capital: "Rome", latitude: 41.90, longitude: 12.50, timeZone: "Europe/Rome"),
        Country(name: "Ireland", alpha2: "IE", capital: "Dublin", latitude: 53.35, longitude: -6.26, timeZone: "Europe/Dublin"),
        Country(name: "Japan", alpha2: "JP", capital: "Tokyo", latitude: 35.68, longitude: 139.69, timeZone: "Asia/Tokyo"),
        Country(name: "Korea", alpha2: "KR", capital: "Seoul", latitude: 37.57, longitude: 126.98, timeZone: "Asia/Seoul"),
        Country(name: "Australia", alpha2: "AU", capital: "Canberra", latitude: -35.28, longitude: 149.13, timeZone: "Australia/Sydney"),
        Country(name: "New Zealand", alpha2: "NZ", capital: "Wellington", latitude: -41.29, longitude: 174.78, timeZone: "Pacific/Auckland"),
        Country(name: "Singapore", alpha2: "SG", capital: "Singapore", latitude: 1.35, longitude: 103.82, timeZone: "Asia/Singapore"),
        Country(name: "Rwanda", alpha2: "RW", capital: "Kigali", latitude: -1.94, longitude: 30.06, timeZone: "Africa/Kigali"),
        Country(name: "Ghana", alpha2: "GH", capital: "Accra", latitude: 5.60, longitude: -0.19, timeZone: "Africa/Accra"),
        Country(name: "Nigeria", alpha2: "NG", capital: "Abuja", latitude: 9.08, longitude: 7.40, timeZone: "Africa/Lagos"),
        Country(name: "South Africa", alpha2: "ZA", capital: "Pretoria", latitude: -25.75, longitude: 28.19, timeZone: "Africa/Johannesburg"),
        Country(name: "Morocco", alpha2: "MA", capital: "Rabat", latitude: 34.02, longitude: -6.84, timeZone: "Africa/Casablanca"),
        Country(name: "Tunisia", alpha2: "TN", capital: "Tunis", latitude: 36.81, longitude: 10.18, timeZone: "Africa/Tunis"),
        Country(name: "Egypt", alpha2: "EG", capital: "Cairo", latitude: 30.04, longitude: 31.24, timeZone: "Africa/Cairo"),
        Country(name: "Jordan", alpha2: "JO", capital: "Amman", latitude: 31.95, longitude: 35.93, timeZone: "Asia/Amman"),
        Country(name: "Lebanon", alpha2: "LB", capital: "Beirut", latitude: 33.89, longitude: 35.50, timeZone: "Asia/Beirut"),
        Country(name: "Turkey", alpha2: "TR", capital: "Ankara", latitude: 39.93, longitude: 32.86, timeZone: "Europe/Istanbul"),
        Country(name: "Greece", alpha2: "GR", capital: "Athens", latitude: 37.98, longitude: 23.73, timeZone: "Europe/Athens"),
        Country(name: "Poland", alpha2: "PL", capital: "Warsaw", latitude: 52.23, longitude: 21.01, timeZone: "Europe/Warsaw"),
        Country(name: "Lithuania", alpha2: "LT", capital: "Vilnius", latitude: 54.69, longitude: 25.28, timeZone: "Europe/Vilnius"),
        Country(name: "Latvia", alpha2: "LV", capital: "Riga", latitude: 56.95, longitude: 24.11, timeZone: "Europe/Riga"),
        Country(name: "Slovenia", alpha2: "SI", capital: "Ljubljana", latitude: 46.06, longitude: 14.51, timeZone: "Europe/Ljubljana"),
        Country(name: "Austria", alpha2: "AT", capital: "Vienna", latitude: 48.21, longitude: 16.37, timeZone: "Europe/Vienna"),
        Country(name: "Switzerland", alpha2: "CH", capital: "Bern", latitude: 46.95, longitude: 7.45, timeZone: "Europe/Zurich"),
        Country(name: "Netherlands", alpha2: "NL", capital: "Amsterdam", latitude: 52.37, longitude: 4.90, timeZone: "Europe/Amsterdam"),
        Country(name: "Belgium", alpha2: "BE", capital: "Brussels", latitude: 50.85, longitude: 4.35, timeZone: "Europe/Brussels"),
        Country(name: "Norway", alpha2: "NO", capital: "Oslo", latitude: 59.91, longitude: 10.75, timeZone: "Europe/Oslo"),
        Country(name: "Sweden", alpha2: "SE", capital: "Stockholm", latitude: 59.33, longitude: 18.07, timeZone: "Europe/Stockholm"),
        Country(name: "Iceland", alpha2: "IS", capital: "Reykjavík", latitude: 64.15, longitude: -21.94, timeZone: "Atlantic/Reykjavik"),
        Country(name: "United Kingdom", alpha2: "GB", capital: "London", latitude: 51.51, longitude: -0.13, timeZone: "Europe/London"),
        Country(name: "United States", alpha2: "US", capital: "Washington, D.C.", latitude: 38.91, longitude: -77.04, timeZone: "America/New_York"),
        Country(name: "Argentina", alpha2: "AR", capital: "Buenos Aires", latitude: -34.60, longitude: -58.38, timeZone: "America/Argentina/Buenos_Aires"),
        Country(name: "Uruguay", alpha2: "UY", capital: "Montevideo", latitude: -34.90, longitude: -56.19, timeZone: "America/Montevideo"),
        Country(name: "Peru", alpha2: "PE", capital: "Lima", latitude: -12.05, longitude: -77.04, timeZone: "America/Lima"),
        Country(name: "Ecuador", alpha2: "EC", capital: "Quito", latitude: -0.18, longitude: -78.47, timeZone: "America/Guayaquil"),
        Country(name: "Costa Rica", alpha2: "CR", capital: "San José", latitude: 9.93, longitude: -84.08, timeZone: "America/Costa_Rica"),
        Country(name: "Philippines", alpha2: "PH", capital: "Manila", latitude: 14.60, longitude: 120.98, timeZone: "Asia/Manila"),
        Country(name: "Viet Nam", alpha2: "VN", capital: "Hanoi", latitude: 21.03, longitude: 105.85, timeZone: "Asia/Ho_Chi_Minh"),
        Country(name: "Thailand", alpha2: "TH", capital: "Bangkok", latitude: 13.76, longitude: 100.50, timeZone: "Asia/Bangkok"),
        Country(name: "Malaysia", alpha2: "MY", capital: "Kuala Lumpur", latitude: 3.14, longitude: 101.69, timeZone: "Asia/Kuala_Lumpur"),
        Country(name: "Bangladesh", alpha2: "BD", capital: "Dhaka", latitude: 23.81, longitude: 90.41, timeZone: "Asia/Dhaka"),
        Country(name: "Pakistan", alpha2: "PK", capital: "Islamabad", latitude: 33.68, longitude: 73.05, timeZone: "Asia/Karachi"),
        Country(name: "Nepal", alpha2: "NP", capital: "Kathmandu", latitude: 27.72, longitude: 85.32, timeZone: "Asia/Kathmandu"),
        Country(name: "Ukraine", alpha2: "UA", capital: "Kyiv", latitude: 50.45, longitude: 30.52, timeZone: "Europe/Kyiv"),
        Country(name: "Georgia", alpha2: "GE", capital: "Tbilisi", latitude: 41.72, longitude: 44.79, timeZone: "Asia/Tbilisi"),
    ]

    private static let byName: [String: Country] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    private static let byCode: [String: Country] = Dictionary(uniqueKeysWithValues: all.map { ($0.alpha2, $0) })
    private static let bySlug: [String: Country] = Dictionary(uniqueKeysWithValues: all.map { ($0.slug, $0) })

    /// The country with this exact English name (`"Viet Nam"`).
    public static func named(_ name: String) -> Country? { byName[name] }

    /// The country with this ISO 3166-1 alpha-2 code, in either case (`"VN"`, `"vn"`).
    public static func code(_ alpha2: String) -> Country? {
        if let country = byCode[alpha2] { return country }
        return byCode[alpha2.uppercased()]
    }

    /// The slug of the country whose ISO 3166-1 alpha-2 code `value` is (`FI`, `fi`), or
    /// `value` itself when it is no code.
    public static func canonicalSlug(_ value: String) -> String {
        guard value.count == 2, let country = code(value) else { return value }
        return country.slug
    }

    /// The country whose slug this is (`"viet-nam"`).
    public static func withSlug(_ slug: String) -> Country? { bySlug[slug] }

    /// The data set's term-slug rule: lower case, drop `'`, every run of characters outside
    /// `[a-z0-9]` becomes `-`, leading and trailing `-` trimmed.
    static func slug(for name: String) -> String {
        var result: [UInt8] = []
        var pendingHyphen = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" { continue }
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen, !result.isEmpty { result.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                result.append(UInt8(scalar.value))
            } else {
                pendingHyphen = true
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
