"""Attribution: exact where integrated gradients are exact, complete on the real models, and the model untouched."""

import copy

import numpy as np
import pytest
import torch

from workbench.core.inspect.attribution import (
    Attribution,
    attribute,
    classifier_attribution,
    forecast_attribution,
    next_token_attribution,
)
from workbench.core.inspect.samples import classifier_sample, series_sample, text_sample


def test_integrated_gradients_are_exact_for_a_polynomial():
    # f(x) = sum(w * x^2): the shares are w * (x^2 - b^2) exactly (Gauss-Legendre integrates the gradient, a line
    # along the path, exactly); gradient x input gives 2 w x (x - b). (torch.testing loads for seconds: numpy's.)
    w = torch.tensor([[1.0, -2.0], [0.5, 3.0]])
    x, base = torch.tensor([[1.0, 2.0], [-1.0, 0.5]]), torch.tensor([[0.5, 0.0], [1.0, 1.0]])

    def f(points):
        return (w * points**2).sum(dim=(1, 2))

    values, out, base_out = attribute(f, x, base, "integrated_gradients", n_steps=4)
    np.testing.assert_allclose(values.numpy(), (w * (x**2 - base**2)).numpy(), rtol=1e-5, atol=1e-6)
    assert out == pytest.approx(float(f(x[None])[0])) and base_out == pytest.approx(float(f(base[None])[0]))
    values, _, _ = attribute(f, x, base, "gradient_x_input")
    np.testing.assert_allclose(values.numpy(), (2 * w * x * (x - base)).numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="The method must be one of integrated_gradients, gradient_x_input"):
        attribute(f, x, base, "saliency")


def test_a_forecasts_shares_add_up_to_its_change_from_the_baseline(forecast_run):
    model = copy.deepcopy(forecast_run.model).train()  # a copy: the shared model stays as it is
    before = {name: value.clone() for name, value in model.state_dict().items()}
    window = series_sample(model, forecast_run.series, 200, 12).inputs
    result = forecast_attribution(model, window, step=2)
    assert result.values.shape == (12, 1) and result.target == "the forecast 2 steps ahead"
    with torch.no_grad():
        x = torch.as_tensor(window, dtype=torch.float32)[None]
        flat = model.mean.expand_as(x)
        model.eval()
        assert result.output == pytest.approx(float(model(x)[0, 1]), abs=1e-4)
        assert result.baseline_output == pytest.approx(float(model(flat)[0, 1]), abs=1e-4)
    assert abs(result.gap) < 1e-3 * max(1.0, abs(result.output - result.baseline_output))
    model.train()
    forecast_attribution(model, window, method="gradient_x_input", baseline="zero")
    assert model.training and all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    with pytest.raises(ValueError, match="The step must be between 1 and 3 \\(got 4\\)"):
        forecast_attribution(model, window, step=4)


def test_a_classified_texts_tokens_share_the_log_probability(classifier_run):
    run = classifier_run
    sample = classifier_sample(run.model, run.vocabulary, run.config.classify, "the knife is sharp and good")
    result = classifier_attribution(run.model, sample.ids, classes=run.classes, n_steps=64)
    with torch.no_grad():
        log_p = torch.log_softmax(run.model(torch.as_tensor(sample.ids)[None])[0], dim=-1)
    predicted = int(log_p.argmax())
    assert result.values.shape == (sample.steps, 1) and result.target == f"the class '{run.classes[predicted]}'"
    assert result.output == pytest.approx(float(log_p[predicted]), abs=1e-5)
    # Max pooling has kinks along the path, so the sum is close rather than exact.
    assert abs(result.gap) < 0.05 * abs(result.output - result.baseline_output) + 1e-3
    other = classifier_attribution(run.model, sample.ids, target=1 - min(predicted, 1), classes=run.classes)
    assert other.target != result.target
    with pytest.raises(ValueError, match="without padding"):
        classifier_attribution(run.model, np.array([5, 0]))


def test_a_passages_tokens_share_the_next_tokens_log_probability(language_model_run):
    model, vocabulary = language_model_run.model, language_model_run.vocabulary
    sample = text_sample(model, vocabulary, "We sailed north by the ")
    result = next_token_attribution(model, sample.ids, decode=lambda i: vocabulary.decode([i]))
    assert result.values.shape == (sample.steps, 1) and result.target.startswith("the next token '")
    assert abs(result.gap) < 1e-3 * max(1.0, abs(result.output - result.baseline_output))
    with pytest.raises(ValueError, match="There are no tokens to explain"):
        next_token_attribution(model, np.array([], dtype=np.int64))


@pytest.mark.parametrize("values, method, said", [
    ([1.0, 2.0, 0.99], "integrated_gradients", "the shares add up to the difference"),
    ([1.0, 1.0, 0.0], "integrated_gradients", "the shares add up to 2 of the difference of 4 (the 32 points"),
    ([3.0, 0.0, 0.0], "gradient_x_input", "the shares add up to 3 of the difference of 4 (gradient x input is exact"),
])
def test_the_words_say_how_far_the_shares_fall_short(values, method, said):
    # output 5, baseline 1: a difference of 4, and shares summing to 3.99 (within 2%), 2 or 3.
    attribution = Attribution(np.array(values)[:, None], method, "the forecast 1 step ahead", 5.0, 1.0)
    assert attribution.completeness().startswith(said)
