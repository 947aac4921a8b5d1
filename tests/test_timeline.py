import pytest

from viz.timeline import plan


@pytest.mark.parametrize(("fps", "smooth"), [
    (1, 0), (20, 0), (50, 0), (50, 3), (20, 1),
], ids=["fps1", "fps20", "fps50", "fps50-smooth3", "fps20-smooth1"])
def test_plan_durations_gif_safe(classifier_history, fps, smooth):
    durations = [frame.duration for frame in plan(classifier_history, fps=fps,
                                                  smooth=smooth)]

    assert all(duration % 10 == 0 for duration in durations)
    assert min(durations) >= 20


# The step delay is 1000 / fps rounded to whole 10 ms, at least 20 ms.
@pytest.mark.parametrize(("fps", "step_ms"), [
    (1, 1000), (3, 330), (20, 50), (30, 30), (50, 20),
], ids=["fps1", "fps3", "fps20", "fps30", "fps50"])
def test_plan_step_duration(or_history, fps, step_ms):
    frames = plan(or_history, fps=fps)

    assert {frame.duration for frame in frames if frame.kind == "step"} == {step_ms}


@pytest.mark.parametrize(("fps", "smooth"), [(1, 1), (10, 4)], ids=["fps1", "fps10"])
def test_plan_smooth_shares_step_time(or_history, fps, smooth):
    frames = plan(or_history, fps=fps, smooth=smooth)
    update = [frame.duration for frame in frames
              if frame.step == 1 and frame.kind in ("between", "step")]

    assert len(update) == smooth + 1
    assert sum(update) == 1000 // fps


@pytest.mark.parametrize("fps", [60, 0, -5], ids=["fps60", "fps0", "negative"])
def test_plan_bad_fps_raises(or_history, fps):
    with pytest.raises(ValueError, match="fps must be"):
        plan(or_history, fps=fps)


def test_plan_holds_first_and_last(or_history):
    frames = plan(or_history, fps=20, start_hold=1.5, end_hold=3.0)

    assert frames[0].duration == 1500
    assert frames[-1].duration == 3000


@pytest.mark.parametrize("mode", ["steps", "updates", "epochs"])
def test_plan_starts_and_ends(classifier_history, mode):
    frames = plan(classifier_history, fps=50, mode=mode)

    assert frames[0].kind == "start"
    assert frames[-1].kind == "end"
    assert frames[-1].step == len(classifier_history.steps) - 1


def test_plan_steps_one_per_step(classifier_history):
    frames = plan(classifier_history, fps=50, mode="steps")
    shown_steps = [frame.step for frame in frames if frame.kind == "step"]

    assert len(frames) == len(classifier_history.steps) + 2
    assert shown_steps == list(range(len(classifier_history.steps)))


def test_plan_updates_one_per_update(classifier_history):
    frames = plan(classifier_history, fps=50, mode="updates")
    shown_steps = [frame.step for frame in frames if frame.kind == "step"]

    assert len(shown_steps) == classifier_history.updates
    assert all(classifier_history.steps[i].updated for i in shown_steps)
    assert len(frames) == classifier_history.updates + 2


def test_plan_epochs_one_per_epoch(classifier_history):
    frames = plan(classifier_history, fps=50, mode="epochs")
    epochs = [classifier_history.steps[frame.step].epoch
              for frame in frames if frame.kind == "step"]

    assert epochs == list(range(1, classifier_history.epochs_run + 1))
    assert len(frames) == classifier_history.epochs_run + 2


def test_plan_epochs_shows_epoch_end(classifier_history):
    frames = plan(classifier_history, fps=50, mode="epochs")
    indices = [classifier_history.steps[frame.step].index
               for frame in frames if frame.kind == "step"]

    assert set(indices) == {len(classifier_history.samples) - 1}
