import Fluent

/// Simple pages editors write (About, Accessibility statement, How to validate
/// authenticity…) and whether each is linked from the navigation and the footer.
struct CreateSitePages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("site_pages")
            .field("id", .int64, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("in_navigation", .bool, .required)
            .field("in_footer", .bool, .required)
            .field("position", .int, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("site_pages").delete()
    }
}
