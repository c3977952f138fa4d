"""The identity review queue: the pairs of core.link_review an agent decides (the two
records side by side, Splink's match weights as a waterfall), and the decisions."""
