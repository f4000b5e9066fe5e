"""The ULN life cycle in the portal: merging two ULNs after a side-by-side comparison."""
