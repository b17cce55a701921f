"""Runs ../shared/peers/mexico_stages.py unchanged, in this process, and writes the balanced train/test split
it draws to a file, so that our models train and test on exactly the peer's rows in the same run.

Usage: stages_peer.py SPLIT_OUT PEER_SCRIPT DATA [peer options]

The peer calls sklearn.model_selection.train_test_split once (balanced set, 70/30, random_state 7, stratified);
we wrap that function before the peer imports it, record the row positions it returns (0-based data rows of the
CSV, the order ingest's reader reads them in), and leave the peer's own output (its figures) on stdout."""
import runpy
import sys

import sklearn.model_selection as model_selection

split_out = sys.argv[1]
peer = sys.argv[2]
original = model_selection.train_test_split
calls = []


def recording_split(*args, **kwargs):
    train, test = original(*args, **kwargs)
    calls.append(1)
    with open(split_out, 'w') as f:
        f.write('row,set\n')
        for role, rows in (('train', train), ('test', test)):
            for r in sorted(int(i) for i in rows):
                f.write(f'{r},{role}\n')
    return train, test


model_selection.train_test_split = recording_split
sys.argv = [peer] + sys.argv[3:]
runpy.run_path(peer, run_name='__main__')
if len(calls) != 1:
    sys.exit(f'expected the peer to split once, it split {len(calls)} times')
