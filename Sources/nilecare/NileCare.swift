print("nilecare")
