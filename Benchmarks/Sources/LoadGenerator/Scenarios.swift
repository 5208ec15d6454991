import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Where the load goes: a base URL (`https://127.0.0.1:PORT/fhir`) and the PKI to talk to it with.
struct LoadTarget: Sendable {
    var base: String
    var pki: String

    func connection(party: String, bearer: String? = nil) throws -> PinnedConnection {
        PinnedConnection(base: base, tls: try GatewayTLSClient.configuration(pki: pki, party: party), bearer: bearer)
    }
}

/// A patient and the bearer token the demo PGO app holds for them.
struct PatientToken: Sendable {
    var patient: String
    var token: String
}

enum Scenarios {
    /// (a) BgZ collection: per patient one new connection (one simulated PGO), one warm-up request
    /// (so the handshake is not in the figures), then the 28 queries one after the other. The summary
    /// times the whole set; `perRequest` each query.
    static func bgzCollection(_ target: LoadTarget, queries: [String], patients: [PatientToken]) async throws
        -> (set: LatencyRecorder, perQuery: LatencyRecorder, byQuery: [String: LatencyRecorder], seconds: Double)
    {
        var sets = LatencyRecorder()
        var perQuery = LatencyRecorder()
        var byQuery: [String: LatencyRecorder] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        for patient in patients {
            let connection = try target.connection(party: "pgo-demo", bearer: patient.token)
            _ = try? await connection.send("metadata")
            var total: UInt64 = 0
            var failed = false
            for query in queries {
                do {
                    let outcome = try await connection.send(query)
                    perQuery.record(nanoseconds: outcome.nanoseconds)
                    perQuery.bytes += outcome.bytes
                    byQuery[query, default: LatencyRecorder()].record(nanoseconds: outcome.nanoseconds)
                    total += outcome.nanoseconds
                    if outcome.status != 200 { perQuery.errors += 1; failed = true }
                } catch {
                    perQuery.errors += 1
                    failed = true
                }
            }
            // The set's time is the sum of its requests: the client's own work between them is not the gateway's.
            sets.record(nanoseconds: total)
            if failed { sets.errors += 1 }
            await connection.close()
        }
        return (sets, perQuery, byQuery, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// (b), (d) and the RSS run: `connections` clients GET their path over and over for `seconds`
    /// after `warmUp` seconds that are not recorded.
    static func reads(
        _ target: LoadTarget, party: String, paths: [(path: String, token: String?)], connections: Int, warmUp: Double, seconds: Double
    ) async throws -> (LatencyRecorder, Double) {
        let clients = try (0..<connections).map { index in
            let assigned = paths[index % paths.count]
            return (try target.connection(party: party, bearer: assigned.token), assigned.path)
        }
        let begin = DispatchTime.now().uptimeNanoseconds
        let recordFrom = begin + UInt64(warmUp * 1e9)
        let end = recordFrom + UInt64(seconds * 1e9)
        let merged = await withTaskGroup(of: LatencyRecorder.self) { group in
            for (connection, path) in clients {
                group.addTask {
                    var recorder = LatencyRecorder()
                    while DispatchTime.now().uptimeNanoseconds < end {
                        let sent = DispatchTime.now().uptimeNanoseconds
                        do {
                            let outcome = try await connection.send(path)
                            guard sent >= recordFrom else { continue }
                            recorder.record(nanoseconds: outcome.nanoseconds)
                            recorder.bytes += outcome.bytes
                            if outcome.status != 200 { recorder.errors += 1 }
                        } catch {
                            if sent >= recordFrom { recorder.errors += 1 }
                        }
                    }
                    return recorder
                }
            }
            var all = LatencyRecorder()
            for await recorder in group { all.merge(recorder) }
            return all
        }
        for (connection, _) in clients { await connection.close() }
        return (merged, seconds)
    }

    /// (c) EPD push: the bundles are shared out over `connections` hospital connections and sent as
    /// fast as the gateway answers. Each must come back 200 (a transaction-response).
    static func push(_ target: LoadTarget, bundles: [ByteBuffer], connections: Int) async throws -> (LatencyRecorder, Double) {
        let clients = try (0..<connections).map { _ in try target.connection(party: "hospital-demo") }
        // A warm-up request per connection, so handshakes are not in the figures.
        for client in clients { _ = try? await client.send("metadata") }
        let start = DispatchTime.now().uptimeNanoseconds
        let merged = await withTaskGroup(of: LatencyRecorder.self) { group in
            for (index, client) in clients.enumerated() {
                let mine = stride(from: index, to: bundles.count, by: connections).map { bundles[$0] }
                group.addTask {
                    var recorder = LatencyRecorder()
                    for bundle in mine {
                        do {
                            let outcome = try await client.send("", method: .POST, body: bundle, contentType: "application/fhir+json")
                            recorder.record(nanoseconds: outcome.nanoseconds)
                            if outcome.status != 200 {
                                recorder.errors += 1
                                if recorder.errors == 1 {
                                    FileHandle.standardError.write(Data("push answered \(outcome.status): \(String(buffer: outcome.body).prefix(400))\n".utf8))
                                }
                            }
                        } catch {
                            recorder.errors += 1
                        }
                    }
                    return recorder
                }
            }
            var all = LatencyRecorder()
            for await recorder in group { all.merge(recorder) }
            return all
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for client in clients { await client.close() }
        return (merged, seconds)
    }
}

/// The client side of mutual TLS with the data directory's dev PKI.
enum GatewayTLSClient {
    static func configuration(pki: String, party: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile("\(pki)/ca.crt"))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile("\(pki)/\(party).crt").map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: "\(pki)/\(party).key", format: .pem))
        // The dev server certificate names localhost; the load connects to 127.0.0.1. The chain is checked.
        configuration.certificateVerification = .noHostnameVerification
        return configuration
    }
}
