import FHIR

/// The FHIR STU3 (3.0.2) core invariants the validator checks, each by a hand-written Swift check
/// rather than a FHIRPath engine: the few that matter for the resources the gateway emits and accepts.
///
/// The human texts are the ones of the STU3 core definitions, so an issue can be looked up in the
/// specification by its key. STU3 has no invariant requiring a Reference to carry a reference,
/// identifier or display (that is R5's ref-2); its `ref-1` is about local references to contained
/// resources, and an empty Reference breaks `ele-1` anyway.
///
/// ```swift
/// CoreInvariant.obs7.rawValue  // "obs-7"
/// CoreInvariant.obs7.human     // "If code is the same as a component code then …"
/// ```
public enum CoreInvariant: String, Sendable, Hashable, CaseIterable {
    /// Every element (`Element`).
    case ele1 = "ele-1"
    /// `Extension`.
    case ext1 = "ext-1"
    /// `Reference`.
    case ref1 = "ref-1"
    /// `DomainResource`: rules on contained resources.
    case dom1 = "dom-1"
    case dom2 = "dom-2"
    case dom3 = "dom-3"
    case dom4 = "dom-4"
    /// `Condition`.
    case con3 = "con-3"
    case con4 = "con-4"
    /// `Observation`.
    case obs6 = "obs-6"
    case obs7 = "obs-7"

    public var human: String {
        switch self {
        case .ele1: "All FHIR elements must have a @value or children"
        case .ext1: "Must have either extensions or value[x], not both"
        case .ref1: "SHALL have a contained resource if a local reference is provided"
        case .dom1: "If the resource is contained in another resource, it SHALL NOT contain any narrative"
        case .dom2: "If the resource is contained in another resource, it SHALL NOT contain nested Resources"
        case .dom3: "If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource"
        case .dom4: "If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated"
        case .con3: "Condition.clinicalStatus SHALL be present if verificationStatus is not entered-in-error"
        case .con4: "If condition is abated, then clinicalStatus must be either inactive, resolved, or remission"
        case .obs6: "dataAbsentReason SHALL only be present if Observation.value[x] is not present"
        case .obs7: "If code is the same as a component code then the value element associated with the code SHALL NOT be present"
        }
    }

    /// The issue reporting a breach at `location`; `detail` says what was found, for people.
    func issue(at location: String, _ detail: String? = nil) -> ValidationIssue {
        ValidationIssue(
            severity: .error, location: location, rule: rawValue,
            message: detail.map { "\(human) (\($0))" } ?? human, code: .invariant)
    }
}

/// The resource-level invariants: the rules on contained resources (`dom-*`) and those of Condition
/// and Observation. Element-level ones (`ele-1`, `ext-1`, `ref-1`) are checked while the base
/// definition is walked (``BaseDefinitionCheck``), where every element passes by.
///
/// ```swift
/// ResourceInvariants.check(observation.content, type: "Observation", location: "Observation")
/// ```
enum ResourceInvariants {
    static func check(_ resource: FHIRObject, type: String, location: String) -> [ValidationIssue] {
        var issues = containedRules(resource, location: location)
        switch type {
        case "Condition": issues += condition(resource, location: location)
        case "Observation": issues += observation(resource, location: location)
        default: break
        }
        return issues
    }

    /// dom-1 to dom-4, for each contained resource.
    static func containedRules(_ resource: FHIRObject, location: String) -> [ValidationIssue] {
        let contained = resource["contained"]?.elements ?? []
        guard !contained.isEmpty else { return [] }
        // dom-3 looks for `#id` among all references of the resource, contained ones included.
        var references: Set<String> = []
        collectReferences(.object(resource), into: &references)
        var issues: [ValidationIssue] = []
        for (index, entry) in contained.enumerated() {
            let here = "\(location).contained[\(index)]"
            if entry["text"] != nil { issues.append(CoreInvariant.dom1.issue(at: here)) }
            if entry["contained"] != nil { issues.append(CoreInvariant.dom2.issue(at: here)) }
            if let id = entry["id"]?.stringValue, !references.contains("#\(id)") {
                issues.append(CoreInvariant.dom3.issue(at: here, "nothing refers to #\(id)"))
            } else if entry["id"] == nil {
                issues.append(CoreInvariant.dom3.issue(at: here, "it has no id to refer to"))
            }
            if entry["meta"]?["versionId"] != nil || entry["meta"]?["lastUpdated"] != nil {
                issues.append(CoreInvariant.dom4.issue(at: here))
            }
        }
        return issues
    }

    private static func collectReferences(_ value: FHIRValue, into references: inout Set<String>) {
        switch value {
        case .object(let object):
            for member in object {
                if member.key == "reference", let reference = member.value.stringValue { references.insert(reference) }
                collectReferences(member.value, into: &references)
            }
        case .array(let values):
            for element in values { collectReferences(element, into: &references) }
        default:
            break
        }
    }

    /// con-3 and con-4. STU3 `clinicalStatus` and `verificationStatus` are plain codes.
    static func condition(_ resource: FHIRObject, location: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let clinicalStatus = resource["clinicalStatus"]?.stringValue
        if resource["verificationStatus"]?.stringValue != "entered-in-error", resource["clinicalStatus"] == nil {
            issues.append(CoreInvariant.con3.issue(at: location, "clinicalStatus is absent"))
        }
        let abatement = resource.keys.first { $0.hasPrefix("abatement") && $0.count > "abatement".count }
        if let abatement, resource[abatement]?.booleanValue != false,
           !["inactive", "resolved", "remission"].contains(clinicalStatus ?? "") {
            issues.append(CoreInvariant.con4.issue(
                at: location, "\(abatement) is present and clinicalStatus is \(clinicalStatus ?? "absent")"))
        }
        return issues
    }

    /// obs-6 and obs-7.
    static func observation(_ resource: FHIRObject, location: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let value = resource.keys.first { $0.hasPrefix("value") && $0.count > "value".count }
        if let value, resource["dataAbsentReason"] != nil {
            issues.append(CoreInvariant.obs6.issue(at: location, "both \(value) and dataAbsentReason are present"))
        }
        if let value {
            let codes = Set(codings(resource["code"]))
            for (index, component) in (resource["component"]?.elements ?? []).enumerated()
            where !codes.isDisjoint(with: codings(component["code"])) {
                issues.append(CoreInvariant.obs7.issue(
                    at: location, "\(value) is present and component[\(index)] has the Observation's own code"))
            }
        }
        return issues
    }

    /// `system|code` of every coding of a CodeableConcept.
    private static func codings(_ concept: FHIRValue?) -> [String] {
        (concept?["coding"]?.elements ?? []).compactMap { coding in
            coding["code"]?.stringValue.map { "\(coding["system"]?.stringValue ?? "")|\($0)" }
        }
    }
}
