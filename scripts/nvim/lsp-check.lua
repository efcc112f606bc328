-- Drives `cib lsp` from a headless Neovim (0.7 or later) through its built-in
-- client, as an author's editor would: opens lessons of the curriculum, waits
-- for cib's findings, breaks an id and waits for the finding at its place,
-- asks for completion and hover. Nothing is saved. Run by scripts/lsp-nvim.sh,
-- which passes CIB_BIN, CIB_ROOT, CIB_LESSONS (newline-separated) and CIB_OUT.
local out, failures = { lessons = 0 }, {}
local function fail(message) table.insert(failures, message) end
local published = {}
local default = vim.lsp.handlers['textDocument/publishDiagnostics']

local ok, err = pcall(function()
  local root = os.getenv('CIB_ROOT')
  local client = vim.lsp.start_client({
    name = 'cib',
    cmd = { os.getenv('CIB_BIN'), 'lsp' },
    cmd_cwd = root,
    root_dir = root,
    flags = { debounce_text_changes = 0 },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        published[result.uri] = (published[result.uri] or 0) + 1
        return default(e, result, ctx, config)
      end,
    },
    on_exit = function(code) out.server_exit = code end,
  })
  assert(client, 'the client did not start')

  local buffers = {}
  for lesson in string.gmatch(os.getenv('CIB_LESSONS'), '[^\n]+') do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. lesson))
    local buf = vim.api.nvim_get_current_buf()
    assert(vim.lsp.buf_attach_client(buf, client), 'cannot attach ' .. lesson)
    table.insert(buffers, buf)
  end
  out.lessons = #buffers
  -- cib publishes every open file once after its first check.
  local all = vim.wait(30000, function()
    for _, buf in ipairs(buffers) do
      if not published[vim.uri_from_bufnr(buf)] then return false end
    end
    return true
  end, 20)
  if not all then fail('not every lesson had its findings published') end
  local findings = 0
  for _, buf in ipairs(buffers) do findings = findings + #vim.diagnostic.get(buf) end
  out.findings_before = findings

  -- In the first lesson, type an id no framework defines into `teaches`.
  local buf = buffers[1]
  vim.api.nvim_set_current_buf(buf)
  local row = vim.fn.search('^teaches: \\[') - 1
  assert(row >= 0, 'the lesson has no `teaches: [` line')
  local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  out.teaches_line = line
  local broken = line:gsub('^teaches: %[', 'teaches: [MTT-NOPE-99, ', 1)
  local before = published[vim.uri_from_bufnr(buf)]
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { broken })
  local reported = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'R005' then return true end
    end
    return false
  end, 10)
  if not reported then fail('no R005 after typing an unknown id') end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'R005' then
      out.finding = { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col,
                      source = d.source, message = d.message }
    end
  end
  out.republished = published[vim.uri_from_bufnr(buf)] > before

  -- Completion where the author types `teaches: [MTT-`.
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { 'teaches: [MTT-' })
  vim.api.nvim_win_set_cursor(0, { row + 1, #'teaches: [MTT-' })
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/completion',
    vim.lsp.util.make_position_params(), 10000)
  local result = answers and answers[client] and answers[client].result
  local items = result and (result.items or result) or {}
  out.completion_count = #items
  out.completion = {}
  for i = 1, math.min(3, #items) do
    table.insert(out.completion, items[i].label .. ' — ' .. (items[i].detail or ''))
  end
  if #items == 0 then fail('no completion items for `teaches: [MTT-`') end
  for _, item in ipairs(items) do
    if item.label:sub(1, 4) ~= 'MTT-' then fail('completion offered ' .. item.label) end
  end

  -- Hover on the id the line had first.
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { line })
  vim.api.nvim_win_set_cursor(0, { row + 1, #'teaches: [' + 1 })
  answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    vim.lsp.util.make_position_params(), 10000)
  local hover = answers and answers[client] and answers[client].result
  out.hover = hover and hover.contents and hover.contents.value and
    vim.split(hover.contents.value, '\n')[1]
  if not out.hover then fail('no hover on ' .. line) end

  vim.lsp.stop_client(client)
  vim.wait(5000, function() return out.server_exit ~= nil end, 20)
  if out.server_exit ~= 0 then fail('the server exited with ' .. tostring(out.server_exit)) end
end)
if not ok then fail(tostring(err)) end
out.failures = failures
local file = io.open(os.getenv('CIB_OUT'), 'w')
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd('cquit ' .. (#failures == 0 and 0 or 1))
