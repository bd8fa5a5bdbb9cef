import Fluent
import SQLKit

/// Each case study's open-data row, rendered once as a JSON object and a CSV record, so a
/// bulk download copies stored text instead of assembling every case from its fields and
/// terms. Triggers forget a case's row in the same transaction as any change to the case,
/// its fields, its terms or a term's name, whatever code makes the change; `ExportRows`
/// renders forgotten rows again.
struct CreateExportRows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            for statement in Self.postgres { try await sql.raw(SQLQueryString(statement)).run() }
        } else {
            for statement in Self.sqlite { try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE export_rows").run()
    }

    static let table = """
        CREATE TABLE export_rows (item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE, \
        base_url TEXT NOT NULL, json TEXT NOT NULL, csv TEXT NOT NULL)
        """
    /// Finding lines of another address must not read every line (gigabytes for a large library).
    static let baseURLIndex = "CREATE INDEX export_rows_base_url ON export_rows (base_url)"

    static let sqlite: [String] = [
        table, baseURLIndex,
        "CREATE TRIGGER export_rows_item_changed AFTER UPDATE ON items BEGIN DELETE FROM export_rows WHERE item_id = OLD.id; END",
    ] + ["item_fields", "item_terms"].flatMap { child in [
        "CREATE TRIGGER export_rows_\(child)_added AFTER INSERT ON \(child) BEGIN DELETE FROM export_rows WHERE item_id = NEW.item_id; END",
        "CREATE TRIGGER export_rows_\(child)_changed AFTER UPDATE ON \(child) BEGIN DELETE FROM export_rows WHERE item_id IN (OLD.item_id, NEW.item_id); END",
        "CREATE TRIGGER export_rows_\(child)_removed AFTER DELETE ON \(child) BEGIN DELETE FROM export_rows WHERE item_id = OLD.item_id; END",
    ] } + [
        "CREATE TRIGGER export_rows_term_changed AFTER UPDATE ON terms BEGIN DELETE FROM export_rows WHERE item_id IN (SELECT item_id FROM item_terms WHERE term_id = OLD.id); END",
        "CREATE TRIGGER export_rows_term_removed BEFORE DELETE ON terms BEGIN DELETE FROM export_rows WHERE item_id IN (SELECT item_id FROM item_terms WHERE term_id = OLD.id); END",
    ]

    static let postgres: [String] = [
        table, baseURLIndex,
        """
        CREATE FUNCTION export_rows_forget_item() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM export_rows WHERE item_id = OLD.id; RETURN NULL; END $$
        """,
        "CREATE TRIGGER export_rows_item_changed AFTER UPDATE ON items FOR EACH ROW EXECUTE FUNCTION export_rows_forget_item()",
        """
        CREATE FUNCTION export_rows_forget_child() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN DELETE FROM export_rows WHERE item_id = OLD.item_id; END IF;
          IF TG_OP <> 'DELETE' THEN DELETE FROM export_rows WHERE item_id = NEW.item_id; END IF;
          RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER export_rows_item_fields_changed AFTER INSERT OR UPDATE OR DELETE ON item_fields FOR EACH ROW EXECUTE FUNCTION export_rows_forget_child()",
        "CREATE TRIGGER export_rows_item_terms_changed AFTER INSERT OR UPDATE OR DELETE ON item_terms FOR EACH ROW EXECUTE FUNCTION export_rows_forget_child()",
        """
        CREATE FUNCTION export_rows_forget_term() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM export_rows WHERE item_id IN (SELECT item_id FROM item_terms WHERE term_id = OLD.id); RETURN NULL; END $$
        """,
        // After a delete, the cascade to item_terms has forgotten the rows already (its trigger).
        "CREATE TRIGGER export_rows_term_changed AFTER UPDATE OR DELETE ON terms FOR EACH ROW EXECUTE FUNCTION export_rows_forget_term()",
    ]
}
