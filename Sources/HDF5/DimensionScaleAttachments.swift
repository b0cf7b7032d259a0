import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Dimension scales attached to many datasets at once: the attributes that `H5DSattach_scale` and `H5DSset_label`
/// write (a dataset's `DIMENSION_LIST` and `DIMENSION_LABELS`, a scale's `REFERENCE_LIST`), each written once with
/// all its entries.
///
/// The high-level calls rewrite a scale's whole `REFERENCE_LIST` (read, delete, create, write) and a dataset's
/// `DIMENSION_LIST` and `DIMENSION_LABELS` at every attachment, so a scale attached to n datasets costs O(n²) attribute
/// operations; a run file's few dozen attachments (its `/step` alone serves every per-snapshot variable) were a large
/// share of creating it. Here every attribute is created once, with the types the high-level library gives it and
/// its entries in the order of the `attach` calls, so readers (h5py's `dims`, netCDF, xarray, `H5DSiterate_scales`)
/// see what the one-at-a-time calls leave (the tests compare both).
///
/// Where a dataset already has dimension-scale attributes, a scale already lists references or is not a scale yet
/// (`makeDimensionScale` first), or one attachment is listed twice, `write` makes the one-at-a-time calls instead.
public struct DimensionScaleAttachments {
    struct Item {
        let scale: H5Dataset
        let dataset: H5Dataset
        let dimension: Int
        let label: String?
    }

    private var items: [Item] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    /// Notes that `scale` is to be attached to dimension `dimension` of `dataset`, and that dimension labelled
    /// `label` (h5py's `dims[i].label`) when given.
    public mutating func attach(_ scale: H5Dataset, to dataset: H5Dataset, dimension: Int, label: String? = nil) {
        items.append(Item(scale: scale, dataset: dataset, dimension: dimension, label: label))
    }

    /// Writes every noted attachment (then the list may be dropped).
    public func write() throws {
        guard !items.isEmpty else { return }
        guard try writesInBulk() else {
            for item in items {
                try item.dataset.attach(scale: item.scale, toDimension: item.dimension)
                if let label = item.label { try item.dataset.setDimensionLabel(label, forDimension: item.dimension) }
            }
            return
        }
        var datasets: [(H5Dataset, [Item])] = [], datasetIndex: [String: Int] = [:]
        var scales: [(H5Dataset, [Item])] = [], scaleIndex: [String: Int] = [:]
        for item in items {
            if let i = datasetIndex[item.dataset.name] { datasets[i].1.append(item) } else {
                datasetIndex[item.dataset.name] = datasets.count
                datasets.append((item.dataset, [item]))
            }
            if let i = scaleIndex[item.scale.name] { scales[i].1.append(item) } else {
                scaleIndex[item.scale.name] = scales.count
                scales.append((item.scale, [item]))
            }
        }
        for (dataset, attached) in datasets { try Self.writeDimensionList(dataset, attached) }
        for (scale, attached) in scales { try Self.writeReferenceList(scale, attached) }
    }

    /// Whether every attachment starts from nothing (else the one-at-a-time calls keep existing entries).
    private func writesInBulk() throws -> Bool {
        var seen = Set<String>()
        for item in items {
            try item.dataset.requireWritable("attach a dimension scale to")
            let rank = try item.dataset.extent().current.count
            guard (0..<rank).contains(item.dimension) else {
                throw HDF5Error.value("cannot attach scale '\(item.scale.name)' to dimension \(item.dimension) of "
                                      + "\(item.dataset.label): it has \(rank) dimensions")
            }
            guard seen.insert("\(item.dataset.name)\u{0}\(item.dimension)\u{0}\(item.scale.name)").inserted,
                  item.dataset.name != item.scale.name,
                  !item.dataset.hasAttribute("DIMENSION_LIST"), !item.dataset.hasAttribute("DIMENSION_LABELS"),
                  !item.dataset.isDimensionScale,
                  item.scale.isDimensionScale, !item.scale.hasAttribute("REFERENCE_LIST")
            else { return false }
        }
        return true
    }

    private static func reference(to object: H5Dataset) throws -> hobj_ref_t {
        var ref = hobj_ref_t()
        try h5check(ch5_reference_to_self(try object.openObjectID(), &ref), "cannot make a reference to \(object.label)")
        return ref
    }

    /// A one-dimensional attribute of `count` elements of `type`, written from `data`.
    private static func writeAttribute(_ object: H5Dataset, _ name: String, type: hid_t, count: Int,
                                       _ data: UnsafeRawPointer) throws {
        let id = try object.openObjectID()
        var dims = [hsize_t(count)]
        let space = try h5check(H5Screate_simple(1, &dims, nil), "cannot make a dataspace for \(name)")
        defer { H5Sclose(space) }
        let attribute = try h5check(H5Acreate2(id, name, type, space, ch5_p_default(), ch5_p_default()),
                                    "cannot create \(name) on \(object.label)")
        defer { H5Aclose(attribute) }
        try h5check(H5Awrite(attribute, type, data), "cannot write \(name) on \(object.label)")
    }

    /// `DIMENSION_LIST` (per dimension, a variable-length list of references to its scales) and, when any
    /// attachment has a label, `DIMENSION_LABELS` (variable-length strings, null where unlabelled).
    private static func writeDimensionList(_ dataset: H5Dataset, _ attached: [Item]) throws {
        let rank = try dataset.extent().current.count
        var references = [[hobj_ref_t]](repeating: [], count: rank)
        for item in attached { references[item.dimension].append(try reference(to: item.scale)) }
        let storage = references.map { refs -> UnsafeMutablePointer<hobj_ref_t>? in
            guard !refs.isEmpty else { return nil }
            let p = UnsafeMutablePointer<hobj_ref_t>.allocate(capacity: refs.count)
            p.initialize(from: refs, count: refs.count)
            return p
        }
        defer { for p in storage { p?.deallocate() } }
        var lists = (0..<rank).map { hvl_t(len: references[$0].count, p: storage[$0].map { UnsafeMutableRawPointer($0) }) }
        let listType = try h5check(H5Tvlen_create(ch5_std_ref_obj()), "cannot make the DIMENSION_LIST type")
        defer { H5Tclose(listType) }
        try lists.withUnsafeMutableBytes { raw in
            try writeAttribute(dataset, "DIMENSION_LIST", type: listType, count: rank, raw.baseAddress!)
        }

        guard attached.contains(where: { $0.label != nil }) else { return }
        var labels = [UnsafeMutablePointer<CChar>?](repeating: nil, count: rank)
        defer { for p in labels { free(p) } }
        for item in attached { if let label = item.label { free(labels[item.dimension]); labels[item.dimension] = strdup(label) } }
        let stringType = try h5check(H5Tcopy(ch5_c_s1()), "cannot make the DIMENSION_LABELS type")
        defer { H5Tclose(stringType) }
        try h5check(H5Tset_size(stringType, ch5_variable()), "cannot make the DIMENSION_LABELS type")
        try labels.withUnsafeMutableBytes { raw in
            try writeAttribute(dataset, "DIMENSION_LABELS", type: stringType, count: rank, raw.baseAddress!)
        }
    }

    /// `REFERENCE_LIST`: per attachment, a reference to the dataset and the dimension's index.
    private static func writeReferenceList(_ scale: H5Dataset, _ attached: [Item]) throws {
        var entries = try attached.map { ch5_ds_list_t(ref: try reference(to: $0.dataset), dim_idx: UInt32($0.dimension)) }
        let entryType = try h5check(ch5_reference_list_type(), "cannot make the REFERENCE_LIST type")
        defer { H5Tclose(entryType) }
        try entries.withUnsafeMutableBytes { raw in
            try writeAttribute(scale, "REFERENCE_LIST", type: entryType, count: attached.count, raw.baseAddress!)
        }
    }
}
