//! Command-line arguments. Written by hand (clap would do too) so that the
//! usage errors and exit code 2 are exactly what the contract says.

use std::path::PathBuf;

use reelchat_protocol::{Message, Role};

pub const USAGE: &str = "\
usage:
  reelchat-cli parse [--chunk-size N] FILE
      Parse a captured response body (SSE, a whole chat.completion JSON, or a
      JSON error) N bytes at a time (default 8192). Prints one JSON summary.
  reelchat-cli send --base-url URL --model MODEL [--api-key KEY]
                    [--history FILE] [--idle-timeout SECS] PROMPT
      Send one request (never more) and print the summary. The key comes from
      --api-key or the REELCHAT_API_KEY environment variable. --history is a
      JSON array of {role, content} sent before PROMPT.
      Exit 0 when the outcome is succeeded, 1 otherwise, 2 on usage errors.";

pub enum Command {
    Help,
    Parse {
        file: PathBuf,
        chunk_size: usize,
    },
    Send {
        base_url: String,
        model: String,
        api_key: String,
        history: Vec<Message>,
        idle_timeout: u64,
        prompt: String,
    },
}

fn value(args: &[String], i: &mut usize, flag: &str) -> Result<String, String> {
    *i += 1;
    args.get(*i)
        .cloned()
        .ok_or_else(|| format!("{flag} needs a value"))
}

/// Split `--flag=value` into two arguments.
fn expand(args: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut after_dashdash = false;
    for a in args {
        if after_dashdash {
            out.push(a);
        } else if a == "--" {
            after_dashdash = true;
            out.push(a);
        } else if let (true, Some((f, v))) = (a.starts_with("--"), a.split_once('=')) {
            out.push(f.to_string());
            out.push(v.to_string());
        } else {
            out.push(a);
        }
    }
    out
}

pub fn parse(args: Vec<String>) -> Result<Command, String> {
    let args = expand(args);
    let Some(sub) = args.first() else {
        return Err("a command is needed: parse or send".into());
    };
    match sub.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "parse" => parse_parse(&args[1..]),
        "send" => parse_send(&args[1..]),
        other => Err(format!("unknown command {other:?}")),
    }
}

fn parse_parse(args: &[String]) -> Result<Command, String> {
    let mut chunk_size = 8192usize;
    let mut file = None;
    let mut i = 0;
    let mut positional_only = false;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--chunk-size" if !positional_only => {
                let v = value(args, &mut i, "--chunk-size")?;
                chunk_size =
                    v.parse().ok().filter(|n: &usize| *n > 0).ok_or_else(|| {
                        format!("--chunk-size must be a positive integer, not {v:?}")
                    })?;
            }
            "--" if !positional_only => positional_only = true,
            "-h" | "--help" if !positional_only => return Ok(Command::Help),
            f if f.starts_with("--") && !positional_only => {
                return Err(format!("unknown option {f}"))
            }
            _ => {
                if file.replace(PathBuf::from(a)).is_some() {
                    return Err("parse takes exactly one FILE".into());
                }
            }
        }
        i += 1;
    }
    let file = file.ok_or("parse needs a FILE")?;
    Ok(Command::Parse { file, chunk_size })
}

fn parse_send(args: &[String]) -> Result<Command, String> {
    let (mut base_url, mut model, mut api_key, mut history_file, mut prompt) =
        (None, None, None, None, None::<String>);
    let mut idle_timeout = reelchat_protocol::DEFAULT_IDLE_TIMEOUT.as_secs();
    let mut i = 0;
    let mut positional_only = false;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--base-url" if !positional_only => base_url = Some(value(args, &mut i, a)?),
            "--model" if !positional_only => model = Some(value(args, &mut i, a)?),
            "--api-key" if !positional_only => api_key = Some(value(args, &mut i, a)?),
            "--history" if !positional_only => {
                history_file = Some(PathBuf::from(value(args, &mut i, a)?))
            }
            "--idle-timeout" if !positional_only => {
                let v = value(args, &mut i, a)?;
                idle_timeout = v.parse().ok().filter(|n: &u64| *n > 0).ok_or_else(|| {
                    format!("--idle-timeout must be a positive number of seconds, not {v:?}")
                })?;
            }
            "--" if !positional_only => positional_only = true,
            "-h" | "--help" if !positional_only => return Ok(Command::Help),
            f if f.starts_with("--") && !positional_only => {
                return Err(format!("unknown option {f}"))
            }
            _ => {
                if prompt.replace(a.clone()).is_some() {
                    return Err("send takes exactly one PROMPT (quote it)".into());
                }
            }
        }
        i += 1;
    }
    let base_url = base_url.ok_or("send needs --base-url")?;
    let model = model.ok_or("send needs --model")?;
    let prompt = prompt.ok_or("send needs a PROMPT")?;
    if prompt.trim().is_empty() {
        return Err("the PROMPT is empty".into());
    }
    let api_key = api_key
        .or_else(|| std::env::var("REELCHAT_API_KEY").ok())
        .filter(|k| !k.trim().is_empty())
        .ok_or("no API key: pass --api-key or set REELCHAT_API_KEY")?;
    reelchat_protocol::base_url::BaseUrl::parse(&base_url).map_err(|e| e.message)?;
    let history = match history_file {
        Some(f) => read_history(&f)?,
        None => Vec::new(),
    };
    Ok(Command::Send {
        base_url,
        model,
        api_key,
        history,
        idle_timeout,
        prompt,
    })
}

fn read_history(path: &PathBuf) -> Result<Vec<Message>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read --history {}: {e}", path.display()))?;
    let messages: Vec<Message> = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            format!("--history must be a JSON array of {{\"role\", \"content\"}} objects: {e}")
        })?;
    if messages.iter().any(|m| m.role == Role::System) {
        // Allowed: passed through as given.
    }
    Ok(messages)
}
