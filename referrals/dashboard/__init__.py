"""The signed-in home page: one view over the network, the history and the openings."""
