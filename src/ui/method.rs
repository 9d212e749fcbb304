//! "How this is estimated": the formulas, their sources and the fit's residuals.

use yew::prelude::*;

use crate::core::report::Method;

#[derive(Properties, PartialEq)]
pub struct MethodProps {
    pub method: std::rc::Rc<Method>,
}

#[function_component]
pub fn MethodPanel(p: &MethodProps) -> Html {
    let m = &p.method;
    html! {
        <section class="how method" aria-labelledby="method-title">
            <details>
                <summary id="method-title">{ "How the expected accuracy is estimated" }</summary>
                <ol class="rules">
                    <li>{ "Base loss L(N, D) = E + A/N^α + B/D^β, the Chinchilla form. " }<b>{ m.law.clone() }</b>{ ": " }{ m.law_constants.clone() }
                        { ". D is the training tokens: the preset's published count, your own, or 20 per parameter." }</li>
                    <li>{ "Quantization penalty δ = C · D^γD / N^γN · Σ w·exp(−b/γ), the post-training form of Kumar et al. 2024, “Scaling Laws for Precision” (arXiv 2411.04330, eq. 2). w is each format's share of the parameters (a llama.cpp preset mixes several); b is its effective bits, its SQNR on a fixed 64 Ki-element Laplace tensor divided by 6.02 dB." }</li>
                    <li>{ "Fitted to the published llama.cpp perplexities below (wikitext-2, context 512; Δloss = ln(PPL/PPL₁₆)): " }{ m.penalty.clone() }{ "; " }{ m.sigma.clone() }{ "." }</li>
                    <li>{ "Δ vs 16-bit is δ of the configuration minus δ of the same model in BF16. The 16-bit equivalent N′ solves A/N′^α = A/N^α + Δ at the same D." }</li>
                    <li>{ "Mixture of experts: N = √(total · active), a heuristic; memory still counts every expert." }</li>
                    <li>{ "Caveats: the base law was fitted on one data set (MassiveText) and llama.cpp measures wikitext-2, so absolute losses are not comparable across model families; Δ and rankings within a family are what the fit checks." }</li>
                </ol>
                <p>{ format!("Spearman's ρ between predicted and measured Δloss, per model: {}. Median predicted/measured: {}.",
                    m.spearman.iter().map(|(n, r)| format!("{n} {r}")).collect::<Vec<_>>().join(", "), m.median_ratio) }</p>
                <div class="table-wrap">
                    <table class="catalogue residuals">
                        <caption class="visually-hidden">{ "Fit residuals" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Model" }</th><th scope="col">{ "File" }</th><th scope="col">{ "Measured PPL" }</th>
                            <th scope="col">{ "Measured Δloss" }</th><th scope="col">{ "Predicted Δloss" }</th><th scope="col">{ "Ratio" }</th>
                        </tr></thead>
                        <tbody>
                            { for m.residuals.iter().map(|r| html! {
                                <tr><th scope="row">{ r[0].clone() }</th><td>{ r[1].clone() }</td><td>{ r[2].clone() }</td>
                                    <td>{ r[3].clone() }</td><td>{ r[4].clone() }</td><td>{ r[5].clone() }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="sub">{ "Sources: Hoffmann et al. 2022 (arXiv 2203.15556); Besiroglu et al. 2024 (arXiv 2404.10102); Kumar et al. 2024 (arXiv 2411.04330); llama.cpp README quantization table and PR #1684 (LLaMA-v1 7B/13B), tools/perplexity/README.md (Llama-2-70B, Llama-3-8B)." }</p>
            </details>
        </section>
    }
}
