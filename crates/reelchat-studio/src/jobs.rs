//! Generation jobs. Each send is one job with an id (its turn's id) and a
//! cancel token. The reply is saved as it streams — at every state change,
//! and at least once a second while text flows — before the UI is told, so
//! a crash never loses a task id the user has seen. Updates to the UI are
//! coalesced to at most ~30 per second. Jobs outlive the UI's attention:
//! they run on when the user switches conversation.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reelchat_protocol::{
    task_status::RemoteStatus, CancellationToken, Failure, GenerationRequest, Outcome, ReelError,
    ReplyEvent, ReplyParser, ReplySink,
};
use tokio::sync::watch;

use crate::attachment;
use crate::download::{download, DownloadErrorKind, DownloadPolicy, MediaKind};
use crate::error::{AppError, AppErrorKind};
use crate::model::{now_ms, DownloadState, JobUpdate, TurnRecord, TurnStatus};
use crate::studio::{lock, title_from, Cell, Connection, JobObserver, Studio};

/// The least time between two updates sent to the UI: one frame at 60 Hz (the UI coalesces per
/// frame too). Measured with a flood of 1000 deltas a second, 33 ms gave a p95 stream-to-screen
/// latency of 125 ms, 16 ms (with the progress bar scaled on the compositor) 89 ms.
const UPDATE_EVERY: Duration = Duration::from_millis(16);
/// While text flows without a state change, save at least this often.
const SAVE_EVERY: Duration = Duration::from_secs(1);

impl Studio {
    /// Start generating: `prompt` modifies `parent` (a version's turn id),
    /// or the conversation's head when `parent` is None and `use_head`.
    /// Returns the new turn as saved (status running). Exactly one request
    /// is made; nothing is ever re-sent.
    pub fn send(
        &self,
        conn: Connection,
        conversation_id: &str,
        prompt: &str,
        model: &str,
        parent: Option<String>,
        observer: Arc<dyn JobObserver>,
    ) -> Result<TurnRecord, AppError> {
        self.send_with_image(conn, conversation_id, prompt, model, parent, None, observer)
    }

    /// [`Studio::send`] with an image: `image` is a staged attachment's file
    /// (`staged/a_….jpg`, see `attachment::stage`). The message goes as a
    /// content array (text, then the image as a data URI); the image is
    /// kept with the turn so later requests re-send the same bytes.
    #[allow(clippy::too_many_arguments)]
    pub fn send_with_image(
        &self,
        conn: Connection,
        conversation_id: &str,
        prompt: &str,
        model: &str,
        parent: Option<String>,
        image: Option<&str>,
        observer: Arc<dyn JobObserver>,
    ) -> Result<TurnRecord, AppError> {
        let prompt = Studio::check_prompt(prompt)?;
        let media_dir = self.inner.media_dir.as_path();
        let staged = match image {
            Some(file) if file.starts_with(attachment::STAGED_DIR) => {
                Some(attachment::describe_staged(media_dir, file)?)
            }
            // A retry re-sends the image of an earlier turn of this conversation.
            Some(file) => Some(
                self.get(conversation_id)?
                    .turns
                    .iter()
                    .find_map(|t| t.image.clone().filter(|i| i.file == file))
                    .ok_or_else(|| AppError::invalid("no such image in this conversation"))?,
            ),
            None => None,
        };
        let image_uri = staged
            .as_ref()
            .map(|img| attachment::data_uri(media_dir, img))
            .transpose()?;
        if model.trim().is_empty() {
            return Err(AppError::invalid("no model is chosen"));
        }
        if conn.api_key.trim().is_empty() {
            return Err(AppError::new(AppErrorKind::NoKey, "no API key is set"));
        }
        // Catch a bad base URL or key before anything is saved or sent. Nothing
        // reached a server: `invalid_input`, not the server's `bad_request`.
        reelchat_protocol::request::prepare(
            &conn.base_url,
            &conn.api_key,
            model,
            &[reelchat_protocol::Message::user_maybe_image(
                prompt,
                image_uri.as_deref(),
            )],
        )
        .map_err(|e| AppError::invalid(e.message))?;
        let cell = self.cell(conversation_id)?;
        let (turn, messages) = {
            let mut c = lock(&cell);
            if c.is_running() {
                return Err(AppError::new(
                    AppErrorKind::Busy,
                    "a video is still being generated in this conversation",
                ));
            }
            let parent = match parent {
                Some(p) if c.turn(&p).is_some_and(|t| t.version.is_some()) => Some(p),
                Some(_) => {
                    return Err(AppError::invalid("only a finished version can be modified"))
                }
                None => c.head.clone(),
            };
            let messages = attachment::thread_for_send(media_dir, &c, parent.as_deref())?
                .messages_with_image(parent.as_deref(), prompt, image_uri.as_deref());
            let mut turn = Studio::new_turn(prompt, model.trim(), parent);
            if let Some(staged) = &staged {
                turn.image = Some(attachment::keep_for_turn(
                    media_dir,
                    staged,
                    conversation_id,
                    &turn.id,
                )?);
            }
            let before = c.clone();
            if c.title.is_empty() {
                c.title = title_from(prompt);
            }
            c.turns.push(turn.clone());
            c.updated_at = now_ms();
            // Persist first: if this fails nothing was sent.
            if let Err(e) = self.save_live(&c) {
                *c = before;
                if let Some(img) = &turn.image {
                    let _ = std::fs::remove_file(media_dir.join(&img.file));
                }
                return Err(e.into());
            }
            if let Some(file) = image.filter(|f| f.starts_with(attachment::STAGED_DIR)) {
                let _ = std::fs::remove_file(media_dir.join(file));
            }
            (turn, messages)
        };
        let token = CancellationToken::new();
        lock(&self.inner.jobs).insert(
            turn.id.clone(),
            (conversation_id.to_string(), token.clone()),
        );
        let req = GenerationRequest {
            base_url: conn.base_url.clone(),
            api_key: conn.api_key.clone(),
            model: model.trim().to_string(),
            messages,
            idle_timeout: conn.idle_timeout,
        };
        let job = Job {
            studio: self.clone(),
            cell,
            conversation_id: conversation_id.to_string(),
            turn_id: turn.id.clone(),
            observer,
        };
        tokio::spawn(job.run(req, conn, token));
        Ok(turn)
    }

    /// Ask the task's raw data (原始数据) what became of an interrupted or
    /// failed task, and complete the turn if it finished. Sends no
    /// generation request.
    pub async fn check_status(
        &self,
        conn: &Connection,
        conversation_id: &str,
        turn_id: &str,
    ) -> Result<(TurnRecord, RemoteStatus), AppError> {
        let cell = self.cell(conversation_id)?;
        let raw = {
            let c = lock(&cell);
            let t = c
                .turn(turn_id)
                .ok_or_else(|| AppError::invalid("no such message"))?;
            if matches!(t.status, TurnStatus::Running | TurnStatus::Succeeded) {
                return Ok((t.clone(), RemoteStatus::Unknown));
            }
            t.reply
                .task
                .as_ref()
                .and_then(|t| t.raw_data_url.clone())
                .ok_or_else(|| AppError::invalid("this reply has no task link to check"))?
        };
        let api =
            (!conn.api_key.is_empty()).then_some((conn.base_url.as_str(), conn.api_key.as_str()));
        let status = self
            .client()
            .fetch_task_status(&raw, api, &CancellationToken::new())
            .await?;
        let turn = self.modify_turn(&cell, turn_id, |c, t| {
            if let Some(p) = status.progress {
                t.reply.progress = Some(t.reply.progress.map_or(p, |q| q.max(p)));
            }
            match status.status {
                RemoteStatus::Completed if status.video_url.is_some() => {
                    t.reply.video_url = status.video_url.clone();
                    t.reply.preview_image_url = t
                        .reply
                        .preview_image_url
                        .clone()
                        .or(status.preview_image_url.clone());
                    t.reply.result_sid = t.reply.result_sid.clone().or(status.result_sid.clone());
                    t.reply.phase = reelchat_protocol::Phase::Completed;
                    t.status = TurnStatus::Succeeded;
                    t.failure = None;
                    t.steps.finished_at = Some(now_ms());
                    t.version = Some(c.next_version);
                    t.media.state = DownloadState::Downloading;
                    c.set_head = true;
                }
                RemoteStatus::Failed => {
                    let reason = status
                        .failure_reason
                        .clone()
                        .unwrap_or_else(|| "the task failed on the server".into());
                    t.status = TurnStatus::Failed;
                    t.failure = Some(Failure::from(ReelError::new(
                        reelchat_protocol::classify::classify_failure_text(&reason),
                        reason,
                    )));
                    t.steps.finished_at = Some(now_ms());
                }
                _ => {}
            }
        })?;
        let turn = if turn.status == TurnStatus::Succeeded {
            Job::download_media(
                self,
                &cell,
                conversation_id,
                turn_id,
                conn.allow_loopback_media,
                &CancellationToken::new(),
            )
            .await
        } else {
            turn
        };
        Ok((turn, status.status))
    }

    /// Change one turn (and maybe the head) under the lock, then save.
    pub(crate) fn modify_turn(
        &self,
        cell: &Cell,
        turn_id: &str,
        f: impl FnOnce(&mut TurnCtx, &mut TurnRecord),
    ) -> Result<TurnRecord, AppError> {
        let mut c = lock(cell);
        let mut ctx = TurnCtx {
            next_version: c.thread().next_version(),
            set_head: false,
        };
        let t = c
            .turn_mut(turn_id)
            .ok_or_else(|| AppError::invalid("no such message"))?;
        f(&mut ctx, t);
        let turn = t.clone();
        if ctx.set_head {
            c.head = Some(turn_id.to_string());
        }
        c.updated_at = now_ms().max(c.updated_at);
        self.save_live(&c)?;
        Ok(turn)
    }
}

pub(crate) struct TurnCtx {
    pub next_version: u32,
    pub set_head: bool,
}

struct Job {
    studio: Studio,
    cell: Cell,
    conversation_id: String,
    turn_id: String,
    observer: Arc<dyn JobObserver>,
}

impl Job {
    async fn run(self, req: GenerationRequest, conn: Connection, token: CancellationToken) {
        let (tx, rx) = watch::channel(None::<AppError>);
        let forwarder = tokio::spawn(forward_updates(
            rx,
            self.cell.clone(),
            self.conversation_id.clone(),
            self.turn_id.clone(),
            self.observer.clone(),
        ));
        let mut sink = JobSink {
            studio: self.studio.clone(),
            cell: self.cell.clone(),
            turn_id: self.turn_id.clone(),
            tx,
            last_save: Instant::now(),
            save_error: None,
        };
        let mut result = self.studio.client().generate(&req, &token, &mut sink).await;
        // A server that takes plain text only refuses the image's content array.
        for f in [result.failure.as_mut(), result.state.failure.as_mut()]
            .into_iter()
            .flatten()
        {
            reelchat_protocol::request::explain_image_rejection(f, &req.messages);
        }
        drop(sink); // closes the update channel
        let _ = forwarder.await;

        // The end of the reply: outcome, version, head — saved, then told.
        let mut save_error = None;
        let turn = {
            let mut c = lock(&self.cell);
            let next_version = c.thread().next_version();
            let mut head = None;
            let turn = c.turn_mut(&self.turn_id).map(|t| {
                t.content = result.content.clone();
                t.reply = result.state.clone();
                t.failure = result.failure.clone();
                t.steps.finished_at = Some(now_ms());
                t.status = match result.outcome {
                    Outcome::Succeeded => TurnStatus::Succeeded,
                    Outcome::Failed => TurnStatus::Failed,
                    Outcome::Interrupted => TurnStatus::Interrupted,
                };
                if t.status == TurnStatus::Succeeded {
                    t.version = Some(next_version);
                    t.media.state = DownloadState::Downloading;
                    head = Some(t.id.clone());
                }
                t.clone()
            });
            if head.is_some() {
                c.head = head;
            }
            c.updated_at = now_ms();
            if let Err(e) = self.studio.save_live(&c) {
                save_error = Some(AppError::from(e));
            }
            turn
        };
        let Some(turn) = turn else {
            lock(&self.studio.inner.jobs).remove(&self.turn_id);
            return; // the conversation was deleted meanwhile
        };
        let succeeded = turn.status == TurnStatus::Succeeded;
        if !succeeded {
            lock(&self.studio.inner.jobs).remove(&self.turn_id);
        }
        self.observer.update(&JobUpdate {
            conversation_id: self.conversation_id.clone(),
            turn: turn.clone(),
            done: !succeeded,
            save_error: save_error.clone(),
        });
        self.observer.finished(&self.conversation_id, &turn);
        if succeeded {
            let turn = Job::download_media(
                &self.studio,
                &self.cell,
                &self.conversation_id,
                &self.turn_id,
                conn.allow_loopback_media,
                &token,
            )
            .await;
            lock(&self.studio.inner.jobs).remove(&self.turn_id);
            self.observer.update(&JobUpdate {
                conversation_id: self.conversation_id.clone(),
                turn,
                done: true,
                save_error,
            });
        }
    }

    /// Keep local copies of the video and its preview, so old conversations
    /// play offline after the relay's links expire. A failed download is
    /// recorded; the remote link still plays.
    async fn download_media(
        studio: &Studio,
        cell: &Cell,
        conversation_id: &str,
        turn_id: &str,
        allow_loopback: bool,
        cancel: &CancellationToken,
    ) -> TurnRecord {
        let (video_url, preview_url) = {
            let c = lock(cell);
            match c.turn(turn_id) {
                Some(t) => (t.reply.video_url.clone(), t.reply.preview_image_url.clone()),
                None => (None, None),
            }
        };
        let dir = studio.inner.media_dir.join(conversation_id);
        let network = studio.network();
        let policy = DownloadPolicy {
            allow_loopback,
            proxied: network.proxied,
            ..Default::default()
        };
        let http = &network.downloader;
        let mut error = None;
        let mut error_kind = None;
        let mut video = None;
        let mut preview = None;
        if let Err(e) = std::fs::create_dir_all(&dir) {
            error = Some(format!("{}: {e}", dir.display()));
            error_kind = Some(DownloadErrorKind::Io);
        } else {
            if let Some(url) = &video_url {
                match download(http, url, &dir, turn_id, MediaKind::Video, &policy, cancel).await {
                    Ok(name) => video = Some(format!("{conversation_id}/{name}")),
                    Err(e) => {
                        error_kind = Some(e.kind);
                        error = Some(e.message);
                    }
                }
            }
            if let Some(url) = &preview_url {
                match download(
                    http,
                    url,
                    &dir,
                    &format!("{turn_id}-poster"),
                    MediaKind::Image,
                    &policy,
                    cancel,
                )
                .await
                {
                    Ok(name) => preview = Some(format!("{conversation_id}/{name}")),
                    Err(e) => {
                        error_kind = error_kind.or(Some(e.kind));
                        error = error.or(Some(e.message));
                    }
                }
            }
        }
        let result = studio.modify_turn(cell, turn_id, |_, t| {
            t.media.video = video.clone().or(t.media.video.clone());
            t.media.preview = preview.clone().or(t.media.preview.clone());
            t.media.state = if video.is_some() && error.is_none() {
                DownloadState::Done
            } else {
                DownloadState::Failed
            };
            t.media.error = error.clone();
            t.media.error_kind = error_kind;
        });
        match result {
            Ok(t) => t,
            Err(_) => lock(cell)
                .turn(turn_id)
                .cloned()
                .unwrap_or_else(|| Studio::new_turn("", "", None)),
        }
    }
}

/// Receives the reply while it streams: appends text, records state
/// changes, saves, and wakes the forwarder.
struct JobSink {
    studio: Studio,
    cell: Cell,
    turn_id: String,
    tx: watch::Sender<Option<AppError>>,
    last_save: Instant,
    save_error: Option<AppError>,
}

impl JobSink {
    fn save(&mut self, c: &crate::model::Conversation) {
        self.last_save = Instant::now();
        self.save_error = self.studio.save_live(c).err().map(AppError::from);
    }
}

impl ReplySink for JobSink {
    fn on_delta(&mut self, delta: &str, parser: &ReplyParser) {
        let cell = self.cell.clone();
        let mut c = lock(&cell);
        let Some(t) = c.turn_mut(&self.turn_id) else {
            return;
        };
        t.content.push_str(delta);
        if self.last_save.elapsed() >= SAVE_EVERY || self.save_error.is_some() {
            t.reply = parser.state().clone();
            self.save(&c);
        }
        drop(c);
        self.tx.send_replace(self.save_error.clone());
    }

    fn on_events(&mut self, events: &[ReplyEvent], parser: &ReplyParser) {
        let cell = self.cell.clone();
        let mut c = lock(&cell);
        let Some(t) = c.turn_mut(&self.turn_id) else {
            return;
        };
        t.reply = parser.state().clone();
        let now = now_ms();
        for e in events {
            match e {
                ReplyEvent::Queued => {
                    t.steps.queued_at.get_or_insert(now);
                }
                ReplyEvent::Generating => {
                    t.steps.generating_at.get_or_insert(now);
                }
                ReplyEvent::Failed(f) => t.failure = Some(f.clone()),
                _ => {}
            }
        }
        // Persist first, then notify. A batch that only moves the progress
        // bar is saved at most once a second (a flood of progress must not
        // turn into a flood of fsyncs); the plan, task id, steps, result and
        // failure are saved at once.
        let progress_only = events
            .iter()
            .all(|e| matches!(e, ReplyEvent::Progress { .. }));
        if !progress_only || self.last_save.elapsed() >= SAVE_EVERY || self.save_error.is_some() {
            self.save(&c);
        }
        drop(c);
        self.tx.send_replace(self.save_error.clone());
    }
}

/// Sends the turn's latest state to the observer, at most every
/// [`UPDATE_EVERY`], until the job's sink is dropped.
async fn forward_updates(
    mut rx: watch::Receiver<Option<AppError>>,
    cell: Cell,
    conversation_id: String,
    turn_id: String,
    observer: Arc<dyn JobObserver>,
) {
    while rx.changed().await.is_ok() {
        let save_error = rx.borrow_and_update().clone();
        let turn = lock(&cell).turn(&turn_id).cloned();
        if let Some(turn) = turn {
            observer.update(&JobUpdate {
                conversation_id: conversation_id.clone(),
                turn,
                done: false,
                save_error,
            });
        }
        tokio::time::sleep(UPDATE_EVERY).await;
    }
}
