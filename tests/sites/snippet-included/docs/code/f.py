# --8<-- [start:f]
def f():
    return 1
# --8<-- [end:f]
