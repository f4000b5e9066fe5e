"""The whole-register duplicate audit (`openlrs audit-duplicates`): Splink over the register."""
