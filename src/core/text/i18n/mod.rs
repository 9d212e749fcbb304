//! The page's two languages. Every text a user reads is a field of [`Strings`]; `en.rs` and
//! `zh_cn.rs` each fill all of them (the compiler refuses a missing one). Texts with values
//! in them are templates with numbered slots, `{0}`, `{1}`, …, filled by [`fill`], so a
//! translation can put the values in its own order.
//!
//! The page's wasm carries English only: the Chinese table is `static/zh-CN.strings`
//! ([`Strings::to_table`], written from `zh_cn.rs` and kept equal to it by `tests/i18n_table.rs`),
//! which the page fetches when it is first shown and hands to [`install`]; until then
//! [`Lang::strings`] gives English and [`Lang::ready`] says so. Native code (the CLI, the tests)
//! compiles `zh_cn.rs` in.

mod en;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod zh_cn;

use serde::{Deserialize, Serialize};

/// A language of the page; `lang=` in the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: the link's value and the page's `lang` attribute.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Its own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// `en`, `en-US`, `zh`, `zh-CN`, `zh-Hans`, `zh-Hans-CN` (any case); `zh-TW` and `zh-Hant`
    /// are not Simplified Chinese and are not taken.
    pub fn parse(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = t.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
                (!traditional).then_some(Lang::ZhCn)
            }
            _ => None,
        }
    }

    /// The first of the browser's preferred languages this page has; English otherwise.
    pub fn detect<S: AsRef<str>>(preferred: &[S]) -> Lang {
        preferred.iter().find_map(|t| Lang::parse(t.as_ref())).unwrap_or_default()
    }

    /// This language's texts: English until a loaded table is [`install`]ed (the page), or the
    /// compiled-in one (native).
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &en::EN,
            Lang::ZhCn => loaded::zh().unwrap_or(&en::EN),
        }
    }

    /// Whether this language's own texts are there ([`Lang::strings`] gives them).
    pub fn ready(self) -> bool {
        self == Lang::En || loaded::zh().is_some()
    }

    /// The file the page loads this language's table from (beside `index.html`).
    pub fn table_file(self) -> String {
        format!("{}.strings", self.id())
    }

    /// A catalogue text (a format's element, scale or source; a device's name) in this language.
    pub fn prose(self, p: Prose) -> &'static str {
        match p {
            Prose::Same(s) => s,
            Prose::Text(key) => self.strings().get(key),
        }
    }

    /// A percentage as this language writes it: `2.87 %` (English here keeps the page's thin
    /// style with a space), `2.87%` in Chinese.
    pub fn percent(self, text: &str) -> String {
        match self {
            Lang::En => format!("{text} %"),
            Lang::ZhCn => format!("{text}%"),
        }
    }
}

/// The English texts, which every build carries.
pub const ENGLISH: &Strings = &en::EN;

#[cfg(not(target_arch = "wasm32"))]
mod loaded {
    pub fn zh() -> Option<&'static super::Strings> {
        Some(&super::zh_cn::ZH_CN)
    }
}

/// The tables the page fetched, each set once.
#[cfg(target_arch = "wasm32")]
mod loaded {
    pub static ZH: std::sync::OnceLock<super::Strings> = std::sync::OnceLock::new();
    pub fn zh() -> Option<&'static super::Strings> {
        ZH.get()
    }
}

/// Gives the page `lang`'s texts from a table file's contents ([`Strings::to_table`]); a table
/// written for another build (other texts, another count) is refused. English is built in.
#[cfg(target_arch = "wasm32")]
pub fn install(lang: Lang, table: String) -> Result<(), Msg> {
    match lang {
        Lang::En => Ok(()),
        Lang::ZhCn => {
            let strings = Strings::from_table(Box::leak(table.into_boxed_str()))
                .ok_or_else(|| crate::msg!(err_lang_table, lang.table_file()))?;
            // A second install (two fetches crossing) keeps the first, which is the same.
            let _ = loaded::ZH.set(strings);
            Ok(())
        }
    }
}

/// `\` and line breaks escaped, so a text is one line of a table.
fn escape_line(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape_line(line: &'static str) -> &'static str {
    if !line.contains('\\') {
        return line;
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
        } else if let Some(next) = chars.next() {
            out.push(if next == 'n' { '\n' } else { next });
        }
    }
    Box::leak(out.into_boxed_str())
}

/// FNV-1a of a text, at compile time: the table header's fingerprint of the field names.
const fn fnv1a(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// A catalogue text: one that reads the same in every language (a name, a C layout, a spec's
/// title) or one translated by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prose {
    Same(&'static str),
    Text(Key),
}

impl Prose {
    pub fn en(self) -> &'static str {
        Lang::En.prose(self)
    }
}

/// `fill("{1} of {0}", &["a", "b"])` → `b of a`. A slot without a value stays as it is.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let slot = after.find('}').and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)));
        match slot.and_then(|(i, end)| Some((values.get(i)?, end))) {
            Some((v, end)) => {
                out.push_str(v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A message for the user that is not yet in a language: a text by [`Key`] with its values
/// (which may be messages themselves), or a value that reads the same in every language
/// (a name, a number). Parsers and the worker return these; the page writes them with
/// [`Msg::text`] in the language it shows, the CLI with `Display` (English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Msg {
    Plain(String),
    Text(Key, Vec<Msg>),
}

impl Msg {
    pub fn new(key: Key, values: Vec<Msg>) -> Msg {
        Msg::Text(key, values)
    }

    /// Whether the English text holds `s` (for tests that check a message says why).
    pub fn contains(&self, s: &str) -> bool {
        self.to_string().contains(s)
    }

    pub fn text(&self, lang: Lang) -> String {
        self.written(lang.strings())
    }

    pub fn written(&self, t: &Strings) -> String {
        match self {
            Msg::Plain(s) => s.clone(),
            Msg::Text(key, values) => {
                let values: Vec<String> = values.iter().map(|v| v.written(t)).collect();
                let refs: Vec<&str> = values.iter().map(String::as_str).collect();
                fill(t.get(*key), &refs)
            }
        }
    }
}

/// `msg!(key)` or `msg!(key, value, …)`: each value is anything that becomes a [`Msg`]
/// (a `String`, a `&str`, a number's text, another message).
#[macro_export]
macro_rules! msg {
    ($key:ident $(, $v:expr)* $(,)?) => {
        $crate::core::text::i18n::Msg::new($crate::core::text::i18n::Key::$key, vec![$($crate::core::text::i18n::Msg::from($v)),*])
    };
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg::Plain(s)
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg::Plain(s.to_string())
    }
}

impl From<&Msg> for Msg {
    fn from(m: &Msg) -> Msg {
        m.clone()
    }
}

impl From<&String> for Msg {
    fn from(s: &String) -> Msg {
        Msg::Plain(s.clone())
    }
}

macro_rules! msg_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Msg {
            fn from(n: $t) -> Msg {
                Msg::Plain(n.to_string())
            }
        }
    )*};
}
msg_from_number!(u8, u16, u32, u64, usize, i64);

// A key crosses to the worker and back as its number: a derived serde impl would carry ~400
// names in the wasm.
impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(*self as u16)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let i = u16::deserialize(d)?;
        Key::ALL.get(i as usize).copied().ok_or_else(|| serde::de::Error::custom("unknown text key"))
    }
}

macro_rules! strings {
    ($($key:ident),* $(,)?) => {
        /// Every text of the page, in one language. `repr(C)`: laid out as an array of its texts
        /// in field order, which is how [`Strings::from_table`] builds one.
        #[derive(Debug)]
        #[repr(C)]
        pub struct Strings {
            $(pub $key: &'static str,)*
        }

        impl Strings {
            /// Each field's name and text, for the tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key)),*]
            }

            pub fn get(&self, key: Key) -> &'static str {
                match key {
                    $(Key::$key => self.$key,)*
                }
            }

            /// A first line naming the format and fingerprinting the field names (so a table
            /// from another build is refused), then every text in field order, one a line.
            pub fn to_table(&self) -> String {
                let mut out = format!("{TABLE_MAGIC} {:016x} {}\n", KEYS_HASH, Key::ALL.len());
                $(out.push_str(&escape_line(self.$key)); out.push('\n');)*
                out
            }

            /// The texts of a [`Strings::to_table`] file; `None` for another format, another
            /// build's fields or a wrong count.
            pub fn from_table(table: &'static str) -> Option<Strings> {
                const N: usize = Key::ALL.len();
                let mut lines = table.strip_suffix('\n').unwrap_or(table).split('\n');
                let header = format!("{TABLE_MAGIC} {:016x} {}", KEYS_HASH, N);
                if lines.next()? != header {
                    return None;
                }
                let texts: Vec<&'static str> = lines.map(unescape_line).collect();
                let texts: [&'static str; N] = texts.try_into().ok()?;
                // SAFETY: `Strings` is `repr(C)` with N fields of `&'static str` and nothing
                // else (asserted below), so it has the layout of `[&'static str; N]`, field i
                // at index i: the order `to_table` wrote them in.
                Some(unsafe { std::mem::transmute::<[&'static str; N], Strings>(texts) })
            }
        }

        const _: () = assert!(std::mem::size_of::<Strings>() == Key::ALL.len() * std::mem::size_of::<&str>());

        /// The field names' fingerprint in a table's header.
        const KEYS_HASH: u64 = fnv1a(concat!($(stringify!($key), "\n",)*));

        /// A text by name, so a message can be made now and written later in whichever
        /// language the page then shows (and cross to the worker and back as a number).
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        pub enum Key {
            $($key,)*
        }

        impl Key {
            const ALL: &'static [Key] = &[$(Key::$key,)*];
        }
    };
}

/// The first word of a table file.
const TABLE_MAGIC: &str = "bitbudget-strings-v1";

strings! {
    // The page's frame.
    tagline, language, footer, skip_to_results,
    // Configurations.
    configurations, configuration_n, duplicate, duplicate_n, remove, remove_n, add_configuration,
    model, custom_count, from_file, parameters, count_hint, slider_label, format, context,
    batch, kv_cache, training_tokens, tokens_hint_published, tokens_hint_rule,
    // Budget and mode.
    budget_section, memory_budget, custom_size, nvidia_gpus, apple_silicon, phones, budget_size, budget_hint,
    runtime_overhead, runtime_hint, mode_section, memory_for, inference_mode, training_mode,
    // Training settings.
    method, method_full, method_lora, method_qlora, optimizer, opt_adam32, opt_mixed, opt_adam8, lora_rank,
    lora_on, targets_qv, targets_all, zero_stage, zero_0, zero_1, zero_2, zero_3, devices, devices_hint,
    checkpointing, training_hint, whole_number,
    // Results.
    memory_needed, col_configuration, col_parameters, col_weights, col_grads, col_grads_title, col_activations,
    col_activations_title, col_runtime, col_total, col_bpw, col_bpw_title, col_loss, col_loss_title, col_sqnr,
    col_sqnr_title, col_budget, col_budget_title, fits, does_not_fit, loss_tip, sqnr_tip_run, sqnr_tip_measured,
    speed_tip, delta_line, n16_line, model_states, where_bytes_go, budget_line,
    // Exports.
    export_table, export_label, copy_markdown, copied, save_chart, save_chart_label,
    // Share.
    share, link_label, copy_link,
    // Notices.
    notices_label, notices_serious, notices_ignored, dismiss,
    // What the core writes into the results.
    n_parameters, custom_model, share_of, decode_bound, needs_devices, too_big_training, training_detail,
    checkpointing_dot, device_one, device_many, seg_embedding, seg_attention, seg_ffn, seg_head, seg_norms,
    seg_weights, seg_grads, seg_optim, seg_acts, note_estimate, note_context, note_custom, note_encoder_kv,
    note_encoder_loss, note_sliding, note_mla, note_moe, ppl_change, ppl_none, n16_about, band_range,
    tokens_given, tokens_published, tokens_rule,
    // The chart.
    tip_memory, tip_fits, tip_not_fit, tip_loss, tip_delta, tip_n16, measured_f16, measured_point, curve_label,
    chart_best_none, chart_best, x_title, x_title_compact, y_loss, y_loss_compact, y_dppl, chart_summary,
    summary_loss, summary_dppl,
    // The chart's section and the trade-offs.
    accuracy_title, accuracy_lead, vertical_axis, scaling_law, law_epoch, law_hoffmann, show_published,
    marker_label, chart_alt, legend_hollow, legend_line, legend_frontier, legend_measured, col_memory, col_delta16,
    col_n16, col_n16_title, add, add_to_comparison, fits_lower, best_for, best_lead, candidates, cand_presets,
    cand_range, cand_configs, nothing_fits, best_caption, parity_title, parity_lead, parity_caption,
    // The explainer.
    ex_title, ex_lead, ex_same_size, ex_bytes_rule, ex_bytes_row, ex_parity, ex_list_sep, ex_block, ex_block_intro,
    ex_block_none, ex_block_caption, ex_levels, ex_step, ex_format, ex_col_x, ex_col_q, ex_col_err, ex_levers,
    ex_distill, ex_prune, ex_moe, ex_differences, ex_accuracy, ex_speed, ex_resources, ex_need_two, ex_when,
    ex_dettmers, ex_kumar, ex_sources,
    // The lab.
    lab_title, lab_lead, distribution, dist_gaussian, dist_laplace, dist_t3, dist_uniform, dist_llm, elements, seed,
    seed_error, cancel, run_lab, formats_n, lab_presets, preset_all, preset_none, preset_kquants, preset_legacy,
    preset_floats, preset_4bit, fam_float, fam_integer, fam_bnb, fam_mx, fam_legacy, fam_k, fam_i, fam_ternary, grp_presets, grp_pure,
    family_n, lab_progress, progress_text, lab_summary, worker_memory,
    col_bits_weight, col_bytes, col_max_err, col_mean_err, col_cosine, col_quantize, col_simd, col_simd_title, col_notes,
    sqnr_caption, sqnr_alt, not_plotted, hist_caption, hist_alt, hist_axis, hist_below, bits_axis, label_more,
    labels_left_off,
    // Your own tensors.
    files_title, files_lead, choose_file, file_none, file_open, file_error, no_file_open, starting, reading_tensor,
    quantizing_tensor, tensor_of, sample_up_to,
    per_class, quantize_sample, tensors_caption, col_tensor, col_shape, col_type, col_values, quantize, quantize_n,
    file_model, add_file_model, add_file_model_hint, file_formats_caption, this_file, col_max_error, skipped,
    // How it is estimated; how the bytes are counted.
    method_title, method_base, method_penalty, method_fit, method_delta, method_moe, method_caveats, method_spearman,
    residuals_caption, col_model, col_file, col_measured_ppl, col_measured_delta, col_predicted_delta, col_ratio,
    method_sources, how_title, how_weights, how_presets, how_checkpoint, how_kv, how_raw, how_runtime, how_units,
    catalogue, col_block, col_element, col_scale, col_source, block_cell,
    // Sparsity.
    sparsity, dense, sparse_nm, sparse_u, no_estimate, no_estimate_title, note_sparse,
    no_estimate_imatrix_title, note_unmeasured,
    // Published evidence in the notes.
    note_pruned_published, note_dense_published, note_distilled, wanda_source,
    // The pruning rule in the method panel.
    pruning_title, pruning_lead, pruning_caption, col_pattern, col_method, col_f, col_worst,
    // The claim checker.
    claim_title, claim_lead, claim_label, claim_hint, claim_none, claim_size, claim_same, claim_differ, claim_match,
    claim_example, claim_depends, claim_layout, claim_layout_ends, claim_family_is, claim_family_range, claim_family_above,
    claim_family_below, claim_family_between, claim_stated_yes, claim_stated_no, claim_stated_part, claim_half_yes,
    claim_half_no, err_claim_long, word_example,
    // The pruning and distillation layer.
    show_levers, legend_levers, evidence_dense, evidence_pruned, evidence_distilled,
    lab_pruning, lab_no_pruning, lab_also, lab_read_only_lead, why_ggml_imatrix, why_llama_imatrix,
    // Messages: the link and the fields.
    err_count, err_digits, err_count_big, err_count_zero, err_unit, err_number, err_positive, err_exabyte,
    err_percent, err_sparsity, err_custom, err_arch_prefix, err_arch_range, err_arch_flag, err_arch_moe,
    err_arch_moe_range, err_arch_unknown, err_arch_twice, err_arch_missing, err_arch_heads, err_model,
    err_device_hint, err_budget_small, err_lab_size, err_lab_format, err_whole, err_tokens, err_kv, err_format,
    err_override, err_override_type, err_override_base,
    err_pick, what_axis, what_published, what_levers, what_mode, what_lora, err_dist, err_seed, err_law,
    err_lang, err_lang_table, err_method, err_opt, note_too_long, note_version, note_using, word_dense, note_model_out,
    err_no_format, note_first_n, note_no_model, note_in_config, word_default, word_shared, note_no_config,
    note_unknown_key,
    // Messages: custom models.
    err_arch_big,
    // Messages: files, the lab's worker, kernels.
    gg_overflow, gg_ends_header, gg_header_long, gg_string_long, gg_array_long, gg_array_overflow, gg_nested,
    gg_value_type, gg_version, gg_tensor_count, gg_kv_count, gg_alignment, gg_dims, gg_type, gg_blocks,
    gg_offset_overflow, gg_past_end, w_magic, w_version, w_tensor_count, w_kv_count, w_key, w_tensor_name,
    tensor_twice, f_shape_overflow, f_truncated, f_dims, f_elements, f_width, f_no_dequant, f_not_numbers,
    f_ended_header, f_header_needs, npy_magic, npy_truncated, npy_version, npy_header_long, npy_not_text,
    npy_no_key, npy_dtype, npy_fortran, npy_shape, npy_shape_entry, npy_dims, npy_elements, npy_ends,
    st_short, st_unknown, st_header_limit, st_header_len, st_utf8, st_json,
    st_dtype, st_offsets, st_span, st_past_end, st_overlap, lab_bad_dist, lab_bad_elements, lab_bad_format,
    lab_not_numbers, lab_too_big, lab_past_end, lab_ended, k_rows, k_granule, k_flat,
    // Messages: kernels' byte counts.
    k_bytes,
    // Messages: the worker.
    w_start, w_unreadable, w_silent, w_malformed, w_no_reader, w_slice, w_read, worker_stopped,
    lab_worker_stopped, cancelled,
    // The lab's and the files' result text.
    lv_exact, lv_nan_in, lv_nan_out, scalar, lv_point, lv_bin, lv_max, fv_not_numbers, fv_over, fv_empty,
    fv_summary, fv_summary_one, fv_stored_vs, fv_stored, fv_model, fv_model_one, fv_experts, fv_unrecognised,
    // The results' SQNR column.
    exact,
    // Units, sources and names in the results.
    n_bytes, bar_label, col_melem, m_magnitude, src_1, src_2, src_3, src_4, src_5, src_6, src_7,
    // The method panel's band.
    method_sigma,
    // The document's title.
    page_title,
    // Pruning in files (wt-files).
    file_pruning_rows,
    // A model's config from the Hugging Face Hub, on request.
    err_hub_id, cfg_summary, cfg_summary_moe, src_title, src_lead, src_paste_label, src_paste_hint, src_add,
    src_open, src_hub_label, src_hub_hint, src_fetch, src_fetch_note, src_fetching, src_added, src_assumed,
    src_unread, src_unreadable, src_full, kv_by_kind, kv_part, kv_sep, ctx_fit, ctx_fit_cap, ctx_fit_none, ctx_is_max, gpu_of_unified, unified_note, device_counts, cards, cards_hint, cards_label, per_card_note, runtime_llama_note, runtime_metal_note, runtime_vllm_note, hub_offline, hub_gated, hub_missing, hub_status,
    src_hub_total, src_hub_index, src_hub_no_index, src_hub_index_failed, err_hub_index,
    min_tps, min_tps_hint, min_tps_no_device, cards_mode, cards_tp, cards_pp, cards_label_pp, ram, ram_none, ram_option, ram_size, ram_hint, ram_note, split, split_auto, split_ngl, split_experts, gpu_layers, gpu_layers_hint, err_split, err_ram, err_cards, fits_ram_layers, fits_ram_experts, fits_ram_embd, verdict_speed, decode_split, decode_split_ram, split_note, split_none_note, split_head_copy, split_fit_target, split_all_note, split_experts_note, split_no_experts, pipeline_note, pipeline_card, share_split, budget_with_ram,
    // Size parity per lever (wt-parity).
    note_pruned_rule, note_pruned_unmeasured, note_pruned_misfit,
    par_title, par_lead, par_label, par_hint, par_caption, par_bad, par_bad_config, par_of_size, par_of_config,
    par_lever_quant, par_lever_prune, par_lever_distill, par_lever_moe, par_total_active, par_moe_title,
    par_published, par_measured, par_src_quant, par_src_student, par_src_prune, par_src_moe, par_src_wanda,
    par_src_distil, col_lever, col_accuracy, par_export,
    // The one-scale estimate: its fit, the held-out checks, measurements beside estimates.
    method_scale, scale_caption, col_protocol, col_predicted_ppl, col_residual,
    holdout_title, holdout_lead, holdout_caption, col_kind, col_check, col_predicted, col_direction,
    check_size, check_compare, check_moe, agrees_yes, agrees_no,
    penalty_holdout_lead, summaries_caption, col_family, col_how, col_files, col_median, col_rms,
    how_left_out, how_not_fitted,
    bits_title, bits_lead, bits_caption, col_size, col_tokens, col_best, col_verdict, bits_size, bits_within,
    bits_outside,
    field_still, trained_for, tokens_rule_short, scaled_model, note_scaled, scaled_option, note_measured, note_measured_mix, check_vs, proto_cpp512, proto_2048, proto_4096,
    ex_same_family, ex_uncalibrated_family, ex_other_family, ex_raw_grade, ex_bigger_wins, ex_bigger_loses, ex_no_tradeoff,
    // How pruned weights are stored.
    how_sparse, index_positions, index_mask, index_csr,
    // The summary beside the inputs (ui/summary.rs).
    glance_title, glance_budget, glance_loss, glance_no_loss, glance_full, glance_live,
    // A model from its config.json; per-layer attention in the KV cache (wt-config).
    err_arch_list, err_arch_period, err_arch_pattern, cfg_too_big, cfg_json, cfg_not_json_object, cfg_duplicate, cfg_not_object,
    cfg_not_text, cfg_no_type, cfg_unknown_type, cfg_vision, cfg_unread, cfg_pattern, cfg_not_int, cfg_range,
    cfg_default, cfg_missing, cfg_not_bool, cfg_not_list, cfg_head_dim, cfg_kv_same, cfg_divides, cfg_unsupported, cfg_mtp,
    cfg_big, cfg_link, cfg_more, cfg_layer_count, cfg_layer_kind, cfg_layer_mix, cfg_sliding_off, cfg_no_rope,
    cfg_dtype, cfg_q_mxfp4, cfg_q_fp8_block, cfg_q_fp8, cfg_q_int, cfg_q_bnb, cfg_q_none, cfg_quant, cfg_rope_factor,
    cfg_rope, kv_full, kv_latent, kv_sliding, kv_chunked, kv_state, kv_per_token, kv_per_seq, note_chunked, note_state, note_swa_cpp,
    // The catalogue's prose and device names.
    cat_nf4_index, cat_nf4_dq_scale, cat_gptq_gidx_source, cat_e4m3_element, cat_e5m2_element, cat_e8m0_per_32, cat_int8_source, cat_nvfp4_source, cat_e4m3_source, cat_e5m2_source, cat_mxfp4_source, cat_qlora_source, cat_nvfp4_scale, cat_q4_0_layout, cat_iq4_nl_layout, cat_nf4_scale, cat_ggml_source, cat_int8_element, cat_none, cat_fp8_scale, cat_row_scale, cat_gptq_scale, cat_gptq_gidx_scale, cat_tq1_0_layout, cat_tq2_0_layout, cat_see_layout, cat_uint4_element, dev_phone_8gb,
    // Mamba hybrids.
    kv_ssm, note_ssm,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_values_in_their_slots() {
        assert_eq!(fill("{1} of {0}", &["a", "b"]), "b of a");
        assert_eq!(fill("{0}{0}", &["x"]), "xx");
        assert_eq!(fill("{2} {x} {", &["a"]), "{2} {x} {");
        assert_eq!(fill("需要 {0} 块 {1}", &["2", "RTX 4090"]), "需要 2 块 RTX 4090");
    }

    #[test]
    fn a_message_is_written_in_the_language_asked_for() {
        let m = crate::msg!(configuration_n, crate::msg!(device_many, 2u64));
        assert_eq!(m.text(Lang::En), fill(EN().configuration_n, &[&fill(EN().device_many, &["2"])]));
        assert_ne!(m.text(Lang::En), m.text(Lang::ZhCn));
        assert_eq!(m.to_string(), m.text(Lang::En));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Msg>(r#"{"Text":[65535,[]]}"#).is_err());
        for (i, k) in Key::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
    }

    #[allow(non_snake_case)]
    fn EN() -> &'static Strings {
        Lang::En.strings()
    }

    #[test]
    fn tags_are_read_as_browsers_write_them() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh-TW"), None);
        assert_eq!(Lang::parse("zh-Hant-HK"), None);
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::detect(&["fr-FR", "zh-CN", "en"]), Lang::ZhCn);
        assert_eq!(Lang::detect(&["de", "zh-TW"]), Lang::En);
        assert_eq!(Lang::detect::<&str>(&[]), Lang::En);
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.id()), Some(l));
        }
    }

    /// Both languages fill every text, a translation keeps every slot of the English template,
    /// and the Chinese texts are Chinese (a copied English string would slip through otherwise).
    #[test]
    fn every_text_is_translated_with_the_same_slots() {
        let slots = |s: &str| {
            let mut v: Vec<usize> = (0..10).filter(|i| s.contains(&format!("{{{i}}}"))).collect();
            v.sort();
            v
        };
        let (en, zh) = (Lang::En.strings().entries(), Lang::ZhCn.strings().entries());
        assert_eq!(en.len(), zh.len());
        for ((k, e), (_, z)) in en.iter().zip(&zh) {
            assert!(!e.trim().is_empty(), "{k} is empty in English");
            assert_eq!(slots(e), slots(z), "{k}: “{e}” and “{z}” have different slots");
            let han = z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(han || UNTRANSLATED.contains(k), "{k}: “{z}” has no Chinese");
        }
    }

    /// Texts that are the same in both languages (a unit, a name).
    const UNTRANSLATED: &[&str] = &[
        "language",
        "delta_line",
        "n16_about",
        "ex_list_sep",
        "col_f",
        "lv_point",
        "src_1",
        "glance_live",
        "src_paste_hint",
        "kv_sep",
    ];
}
