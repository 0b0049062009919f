/// Historical contributivity from the lineage (to be completed with the lineage shares).
public struct LineageCreditComputation {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    public func recompute() throws {}
}
