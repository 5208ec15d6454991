import FHIR
import Foundation
import Hummingbird
import NIOCore
import Store

/// Writes searchset Bundles.
///
/// For JSON the stored bytes of each resource are spliced into the Bundle as they are: a page of 50
/// resources is written without parsing a single one of them. XML needs the element model.
struct SearchBundleWriter {
    let base: String
    let total: Int
    let selfLink: String
    let nextLink: String?

    func response(matches: [StoredResource], includes: [StoredResource], format: FHIRFormat, pretty: Bool) throws -> Response {
        if format == .json, !pretty {
            return FHIRResponses.body(json(matches: matches, includes: includes), format: .json, status: .ok)
        }
        let entries = try matches.map { SearchsetBundle.Entry(fullUrl: fullUrl($0), resource: try $0.resource(), mode: .match) }
            + includes.map { SearchsetBundle.Entry(fullUrl: fullUrl($0), resource: try $0.resource(), mode: .include) }
        let bundle = SearchsetBundle(
            id: UUID().uuidString.lowercased(), total: total, selfLink: selfLink, nextLink: nextLink, entries: entries,
            lastUpdated: Instant.format(Date()))
        return FHIRResponses.resource(bundle.resource, format: format, pretty: pretty)
    }

    func json(matches: [StoredResource], includes: [StoredResource]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(512 + (matches + includes).reduce(0) { $0 + $1.contentJSON.count + 160 })
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        func string(_ text: String) { out.append(contentsOf: FHIRJSON.serialize(.string(text))) }

        append(#"{"resourceType":"Bundle","id":"#)
        string(UUID().uuidString.lowercased())
        append(#","meta":{"lastUpdated":"#)
        string(Instant.format(Date()))
        append(#"},"type":"searchset","total":"#)
        append(String(total))
        append(#","link":[{"relation":"self","url":"#)
        string(selfLink)
        append("}")
        if let nextLink {
            append(#",{"relation":"next","url":"#)
            string(nextLink)
            append("}")
        }
        append("]")
        let all = matches.map { ($0, "match") } + includes.map { ($0, "include") }
        if !all.isEmpty {
            append(#","entry":["#)
            for (index, (stored, mode)) in all.enumerated() {
                if index > 0 { append(",") }
                append(#"{"fullUrl":"#)
                string(fullUrl(stored))
                append(#","resource":"#)
                out.append(contentsOf: stored.contentJSON)
                append(#","search":{"mode":""#)
                append(mode)
                append(#""}}"#)
            }
            append("]")
        }
        append("}")
        return out
    }

    private func fullUrl(_ stored: StoredResource) -> String {
        "\(base)/fhir/\(stored.reference)"
    }
}
