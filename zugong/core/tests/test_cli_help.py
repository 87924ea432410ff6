"""`zugong --help` lists Zugong's commands first; `zugong serve` keeps gunicorn's control
socket under the data folder (issue 16, point 5)."""

from pathlib import Path

from django.conf import settings

from zugong import cli
from zugong.core.management.commands import serve


def test_zugong_help_lists_zugongs_own_commands_before_djangos(capsys):
    cli.main(["zugong", "--help"])
    text = capsys.readouterr().out
    ours = text.index("Zugong's commands:")
    django_list = text.index("[auth]")
    assert ours < django_list
    own = text[ours:django_list]
    for name in ("demo", "serve", "worker", "token", "import-workbook", "export-lrmx",
                 "backup", "restore", "setup-department"):
        assert f"\n  {name} " in own, name
    # The alias is shown, not huey's name for it.
    assert "run_huey" not in own


def test_the_control_socket_lives_under_the_data_folder():
    options = serve.control_socket_options()
    path = Path(options["control_socket"])
    assert path == Path(settings.DATA_DIR) / "run" / "gunicorn.ctl"
    assert path.parent.is_dir()


def test_a_data_folder_too_deep_for_a_socket_goes_without_one(settings, tmp_path):
    # 120 characters of folder name: the socket path would pass the 107-byte limit.
    settings.DATA_DIR = tmp_path / ("d" * 120)
    assert serve.control_socket_options() == {"control_socket_disable": True}
