"""PyTorch end of the dump helper: runs where torch is importable, skipped (with the reason) where it is not.

torch is not in requirements.txt; install it into the venv to run this (`.venv-python/bin/pip install torch`).
"""
import h5py
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed in this environment (optional)")

from condense import RunRecorder  # noqa: E402


def test_torch_model_dumped_during_training_condenses(tmp_path, analyze_json):
    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 40, dtype=torch.float64).reshape(-1, 1)
    y = torch.sin(2 * x) + 0.5 * x
    model = torch.nn.Sequential(torch.nn.Linear(1, 30), torch.nn.Tanh(), torch.nn.Linear(30, 1, bias=False))
    model = model.double()
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 1e-3)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    path = tmp_path / "torch.h5"
    with RunRecorder.for_torch(path, model, train=(x.numpy(), y.numpy())) as rec:
        for step in range(301):
            loss = 0.5 * ((model(x) - y) ** 2).sum(dim=1).mean()
            if step % 20 == 0:
                rec.snapshot(step, train_loss=loss.item(), learning_rate=2e-3)
            if step == 300:
                break
            rec.log_loss(loss.item())
            opt.zero_grad()
            loss.backward()
            opt.step()
        final = [p.detach().numpy().copy() for p in model.parameters()]
    with h5py.File(path) as f:
        assert f["layers/layer_1"].attrs["activation"] == "tanh"
        assert f["layers/readout"].attrs["has_bias"] == 0
        w = f["layers/layer_1/weights"][-1]
        np.testing.assert_array_equal(w[:, 0], final[0][:, 0])
        np.testing.assert_array_equal(w[:, 1], final[1])
        np.testing.assert_array_equal(f["layers/readout/weights"][-1, :, :30], final[2])
    (layer,) = analyze_json(path)["layers"]
    assert layer["multiplicity"] == 1
    # Step 0 is 30 random directions in the (w, b) plane (chance clusters there are not what is tested); from
    # step 20 on the neurons sit on one line: 2 orientations, within 2p = 2.
    later = layer["snapshots"][1:]
    assert [s["step"] for s in later] == list(range(20, 301, 20))
    assert {(s["condensed_orientations"], s["condensed_lines"], s["verdict"]) for s in later} == {
        (2, 1, "condensed within bound")}


def test_activation_is_read_from_the_model_or_refused():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.1), torch.nn.Linear(4, 4),
                              torch.nn.GELU(), torch.nn.Linear(4, 1))
    import tempfile, os
    with tempfile.TemporaryDirectory() as d:
        rec = RunRecorder.for_torch(os.path.join(d, "a.h5"), seq)
        assert rec.activations == ["leaky_relu(0.1)", "gelu"]
        assert rec.widths == [2, 4, 4, 1]
        rec.snapshot(0)
        rec.close()
        with pytest.raises(ValueError, match="approximate"):
            RunRecorder.for_torch(os.path.join(d, "b.h5"), torch.nn.Sequential(
                torch.nn.Linear(2, 4), torch.nn.GELU(approximate="tanh"), torch.nn.Linear(4, 1)))
