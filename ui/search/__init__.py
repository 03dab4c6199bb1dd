"""The one search box in the tool bar and its popup of hits."""
