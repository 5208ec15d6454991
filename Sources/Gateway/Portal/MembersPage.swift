import Consent
import Store

/// "My members": the members of the patient's PZC and the data categories each may see (consents
/// with `.member(id)` and `.read`), changeable per member with a form of checkboxes.
enum MembersPage {
    /// What a member can be allowed to see: every category a resource can have. `.supporting` (who
    /// and where) follows what it is reached from, so it is not a choice of its own.
    static let choices: [DataCategory] = DataCategory.allCases.filter { ![.everything, .supporting].contains($0) }

    struct Row: Sendable, Hashable {
        let member: PZCMember
        /// What the member may read now, `[.everything]` included as such.
        let permitted: [DataCategory]

        /// Whether the box for `category` is ticked.
        func allows(_ category: DataCategory) -> Bool {
            permitted.contains(.everything) || permitted.contains(category)
        }
    }

    /// Each member with what their read consents permit, taken together.
    static func rows(members: [PZCMember], consents: [PortalConsent]) -> [Row] {
        members.map { member in
            let permitted = Set(
                consents.filter { $0.actor == .member(member.memberID) && $0.actions.contains(.read) }.flatMap(\.permitted))
            return Row(
                member: member,
                permitted: permitted.contains(.everything) ? [.everything] : DataCategory.allCases.filter(permitted.contains))
        }
    }

    static func render(text: PortalText, session: FrontSession, rows: [Row], status: String?) -> HTMLPage {
        guard !rows.isEmpty else {
            return PortalLayout.page(text: text, session: session, section: .members, body: "<p>\(HTML.escape(text.noMembers))</p>\n", status: status)
        }
        var body = """
            <table>
            <caption>\(HTML.escape(text.membersTitle))</caption>
            <thead><tr><th scope="col">\(HTML.escape(text.memberColumn))</th><th scope="col">\(HTML.escape(text.dataColumn))</th></tr></thead>
            <tbody>

            """
        for row in rows {
            let seen = row.permitted.isEmpty ? text.nothingShared : PortalLayout.categories(row.permitted, text: text)
            body += "<tr><th scope=\"row\"><a href=\"#member-\(anchor(row.member))\">\(HTML.escape(row.member.displayName))</a></th><td>\(HTML.escape(seen))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n"
        for row in rows { body += form(text: text, session: session, row: row) }
        return PortalLayout.page(text: text, session: session, section: .members, body: body, status: status)
    }

    private static func form(text: PortalText, session: FrontSession, row: Row) -> String {
        let member = row.member
        let id = anchor(member)
        let kind = member.kind == .professional ? text.professional : text.relative
        let about = [member.role, member.organisation].compactMap { $0 }.filter { !$0.isEmpty }
        var html = """
            <section id="member-\(id)" aria-labelledby="member-\(id)-name">
            <h2 id="member-\(id)-name">\(HTML.escape(member.displayName))</h2>
            <p class="note">\(HTML.escape(([kind] + about).joined(separator: ", ")))</p>
            <form method="post" action="/portal/members">\(HTML.csrfField(session.csrfToken))
            <input type="hidden" name="member_id" value="\(HTML.escape(member.memberID))">
            <fieldset><legend>\(HTML.escape(text.memberLegend(member.displayName)))</legend>

            """
        for category in choices {
            let checked = row.allows(category) ? " checked" : ""
            html += """
                <label class="choice"><input type="checkbox" name="category" value="\(category.rawValue)"\(checked)> \(HTML.escape(text.front.category(category)))</label>

                """
        }
        return html + "</fieldset>\n<button type=\"submit\">\(HTML.escape(text.saveButton))</button></form>\n</section>\n"
    }

    /// An id attribute for the member: the FHIR id alphabet is safe in one, escaped anyway.
    private static func anchor(_ member: PZCMember) -> String {
        HTML.escape(member.memberID)
    }
}
