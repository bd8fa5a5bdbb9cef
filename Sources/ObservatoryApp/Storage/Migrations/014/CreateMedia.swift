import Fluent

/// The media library: images and documents editors upload once and use in any body.
struct CreateMedia: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("media")
            .field("id", .int64, .identifier(auto: true))
            .field("storage_name", .string, .required)
            .field("file_name", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int64, .required)
            .field("width", .int)
            .field("height", .int)
            .field("alt_text", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "storage_name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("media").delete()
    }
}
