import Fluent
import ObservatoryCore
import SQLKit

/// Questionnaires (versioned definitions), the settings of calls, deadline extensions,
/// submissions with their history, collaborators and attached files. The shipped questionnaires are stored
/// as version 1.
struct CreateSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("questionnaires")
            .field("key", .string, .required)
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "key", "version")
            .create()

        try await database.schema("call_settings")
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("questionnaire_key", .string, .required)
            .field("questionnaire_version", .int, .required)
            .unique(on: "item_id")
            .create()

        try await database.schema("call_extensions")
            .field("id", .int64, .identifier(auto: true))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("at", .int64, .required)
            .field("actor_id", .int64)
            .field("actor_label", .string, .required)
            .field("from_closes_at", .int64, .required)
            .field("to_closes_at", .int64, .required)
            .create()

        try await database.schema("submissions")
            .field("id", .int64, .identifier(auto: true))
            .field("call_item_id", .int64, .required, .references("items", "id"))
            .field("questionnaire_key", .string, .required)
            .field("questionnaire_version", .int, .required)
            .field("owner_id", .int64, .required, .references("accounts", "id"))
            .field("status", .string, .required)
            .field("title", .string, .required)
            .field("answers", .string, .required)
            // Revision of each section, raised by every save, for optimistic locking.
            .field("revisions", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .field("submitted_at", .int64)
            .field("published_item_id", .int64)
            .create()

        try await database.schema("submission_events")
            .field("id", .int64, .identifier(auto: true))
            .field("submission_id", .int64, .required, .references("submissions", "id", onDelete: .cascade))
            .field("at", .int64, .required)
            .field("actor_id", .int64)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string)
            .field("message", .string)
            // Notes editors keep for themselves; submitters never see them.
            .field("internal", .bool, .required)
            .create()

        try await database.schema("submission_collaborators")
            .field("submission_id", .int64, .required, .references("submissions", "id", onDelete: .cascade))
            .field("email_key", .string, .required)
            .field("account_id", .int64)
            .field("token_hash", .string, .required)
            .field("invited_at", .int64, .required)
            .field("accepted_at", .int64)
            .unique(on: "submission_id", "email_key")
            .create()

        try await database.schema("attachments")
            .field("id", .int64, .identifier(auto: true))
            .field("submission_id", .int64, .required, .references("submissions", "id", onDelete: .cascade))
            .field("field_id", .string, .required)
            .field("file_name", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int64, .required)
            // The file's name in the uploads directory: random, never derived from user input.
            .field("storage_name", .string, .required)
            .field("uploaded_by", .int64, .required)
            .field("created_at", .int64, .required)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        for (name, table, columns) in [
            ("submissions_owner_idx", "submissions", ["owner_id", "updated_at"]),
            ("submissions_call_status_idx", "submissions", ["call_item_id", "status"]),
            ("submission_events_idx", "submission_events", ["submission_id", "at"]),
            ("submission_collaborators_account_idx", "submission_collaborators", ["account_id"]),
            ("attachments_submission_idx", "attachments", ["submission_id", "field_id"]),
        ] {
            var builder = sql.create(index: SQLIdentifier(name)).on(SQLIdentifier(table))
            for column in columns { builder = builder.column(SQLIdentifier(column)) }
            try await builder.run()
        }
        for json in ShippedQuestionnaires.all {
            let questionnaire = try Questionnaire.decode(json: json)
            try await sql.insert(into: "questionnaires").columns("key", "version", "definition", "created_at")
                .values(SQLBind(questionnaire.key), SQLBind(questionnaire.version), SQLBind(try questionnaire.encoded()), SQLBind(Int64(0)))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["attachments", "submission_collaborators", "submission_events", "submissions", "call_extensions", "call_settings", "questionnaires"] {
            try await database.schema(table).delete()
        }
    }
}
